// DOMException (WebIDL): the error class the Web APIs throw.

class DOMException extends Error {
  constructor(message = "", name = "Error") {
    super(message);
    Object.defineProperty(this, "name", { value: String(name), configurable: true, writable: true });
  }
  get code() {
    const codes = { IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
      SyntaxError: 12, InvalidCharacterError: 5, InvalidAccessError: 15, NetworkError: 19, AbortError: 20, TimeoutError: 23, DataCloneError: 25 };
    return codes[this.name] || 0;
  }
}
define("DOMException", DOMException);
