import { writeFileAtomic } from "../review/reports";
import { Io } from "./io";

/** Writes a Markdown text to `out` (whole or not at all), or to standard output. */
export function emit(io: Io, text: string, out: string | undefined): void {
  if (out !== undefined) writeFileAtomic(out, text);
  else io.out(text.replace(/\n$/, ""));
}
