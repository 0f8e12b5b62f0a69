/**
 * What the fake iRacing serves, read from the real samples (shared/samples/iracing, never copied):
 * the leagues behind `/data/league/get`, the `link` envelope, the error answers, and the S3 error
 * bodies a presigned URL gets.
 */
import type { IracingAnswer, IracingAnswers } from "@/fixtures/iracing.ts";
import { readSample } from "@/tests/_samples.ts";

/** An aydsko test-harness exchange: `{statuscode?, headers, contentType?, content}`. */
export type WrappedSample = IracingAnswer;

/** A wrapped aydsko sample (BOM tolerated). */
export function sampleJson(rel: string): WrappedSample {
  const text = new TextDecoder().decode(readSample(`iracing/${rel}`)).replace(/^\uFEFF/, "");
  const raw = JSON.parse(text);
  // The aydsko fixtures spell the status both "statuscode" and "statusCode".
  const out: WrappedSample = {
    statuscode: raw.statuscode ?? raw.statusCode,
    headers: raw.headers ?? {},
    content: raw.content,
  };
  if (raw.contentType) out.contentType = raw.contentType;
  return out;
}

/** A bare payload sample (BOM tolerated). */
export function plainSample(rel: string): unknown {
  return JSON.parse(new TextDecoder().decode(readSample(`iracing/${rel}`)).replace(/^\uFEFF/, ""));
}

/** S3's answer to an expired presigned URL. */
export const S3_EXPIRED = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`;
/** S3's answer to a presigned URL sent with an Authorization header too. */
export const S3_TWO_AUTHS = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message><ArgumentName>Authorization</ArgumentName></Error>`;

/** The sample leagues by id: 7058 (19 members, numbers as text), 10651 (60, with licences), 8234 (1). */
export function sampleLeagues(): Map<number, Record<string, unknown>> {
  return new Map([
    [7058, plainSample("iracing-data-client/league.get.json") as Record<string, unknown>],
    [
      10651,
      sampleJson("aydsko/GetLeagueWithLicensesSucceedsAsync/2.json").content as Record<string, unknown>,
    ],
    [
      8234,
      sampleJson("aydsko/GetLeagueWithoutLicensesSucceedsAsync/2.json").content as Record<string, unknown>,
    ],
  ]);
}

/** The `link` envelope and the 401, 403, 503 and CloudFront 504 answers, as recorded. */
export function sampleAnswers(): {
  linkSample: WrappedSample;
  errors: Record<"401" | "403" | "503" | "504", WrappedSample>;
} {
  return {
    linkSample: sampleJson("aydsko/GetLeagueWithoutLicensesSucceedsAsync/1.json"),
    errors: {
      "401": sampleJson("aydsko/ResponseUnauthorized/1.json"),
      "403": sampleJson("aydsko/ResponseForbidden/1.json"),
      "503": sampleJson("aydsko/GetMemberInfoDuringMaintenanceThrowsAsync/1.json"),
      "504": sampleJson("aydsko/ResponseUnknown504/1.json"),
    },
  };
}

/** Every answer the fake iRacing serves, read from the samples (the twin of generatedIracingAnswers()). */
export function sampleIracingAnswers(): IracingAnswers {
  const { linkSample, errors } = sampleAnswers();
  return {
    source: "samples",
    leagues: sampleLeagues(),
    link: linkSample,
    rosterEnvelope: plainSample("iracing-data-client/league.roster.json") as Record<string, unknown>,
    memberInfo: plainSample("iracing-data-client/member.info.json") as Record<string, unknown>,
    errors,
  };
}
