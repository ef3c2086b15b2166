// ua-parser-js 1.x ships no types; this is the part Latchkey uses.
declare module "ua-parser-js" {
  type Named = { name?: string; version?: string };
  export default class UAParser {
    constructor(ua?: string);
    getResult(): { browser: Named; os: Named; device: { type?: string; vendor?: string; model?: string } };
  }
}
