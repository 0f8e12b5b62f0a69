/** The one error configuration mistakes are reported with. */
/** Configuration problems, each naming the variable or field; all of them at once, one a line. */
export class ConfigError extends Error {
  /** One sentence per problem. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(
      list.length === 1
        ? list[0]!
        : `${list.length} configuration problems:\n${list.map((p) => `- ${p}`).join("\n")}`,
    );
    this.problems = list;
  }
}
