import { greet } from "tiny-greet";
import { shout } from "@alias/shout";
import { twice } from "./util";

declare const BUILD_FLAVOR: string;

export default {
  fetch(): string {
    return `${shout(greet("edge"))} ${twice(21)} ${BUILD_FLAVOR}`;
  },
};

export const named = 7;
