export interface Greeting {
  text: string;
  length: number;
}

export function greet(name: string): Greeting {
  const text: string = `Hello, ${name}!`;
  return { text, length: text.length };
}

export function explode(): never {
  throw new Error("exploded in greet.ts");
}
