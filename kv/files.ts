/** Imported files by content hash: the same bytes are never imported twice. */
import { fileKey } from "@/kv/keys.ts";
import type { KvTxn } from "@/kv/txn.ts";

/** What became of an imported file. */
export interface FileRecord {
  sessionId: string;
  fileName: string;
  importedAt: string;
}

/** Looks a file up by hash and guards the commit against another import of the same bytes. */
export async function claimFile(txn: KvTxn, sha256: string): Promise<FileRecord | null> {
  return await txn.get<FileRecord>(fileKey(sha256), { check: true });
}

/** Records a file as imported. */
export function putFile(txn: KvTxn, sha256: string, rec: FileRecord): void {
  txn.set(fileKey(sha256), rec);
}
