declare function require(name: string): unknown;

export function check(mode: string): number {
  const missing: any = undefined;
  switch (mode) {
    case "error":
      throw new Error("config is missing");
    case "string":
      throw "a string";
    case "object":
      throw { code: 42 };
    case "type":
      return missing.value;
    case "require": {
      const name = "fs";
      return require(name) as number;
    }
  }
  return 1;
}
