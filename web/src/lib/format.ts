// Formatting and parsing of what the API carries as numbers.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { SaleType } from "../gen/looklook/bff/v1/types_pb.js";

/** formatMoney shows int64 minor units as yuan with two decimals, without floating point. */
export function formatMoney(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fen = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}¥${yuan}.${fen}`;
}

/** centsToInput is the editable text for an amount: "128.00". */
export function centsToInput(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/**
 * parseMoney reads "128", "128.5", "¥1,280.00" or "-3" into minor units; null when it is not an
 * amount. Range checks are protovalidate's, so a negative amount parses and is rejected there.
 */
export function parseMoney(text: string): bigint | null {
  const t = text.trim().replace(/^¥\s*/, "").replace(/,/g, "");
  const m = /^(-?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] === "-" ? -cents : cents;
}

export function saleTypeLabel(t: SaleType): string {
  switch (t) {
    case SaleType.PER_ROOM:
      return "per room / night";
    case SaleType.PER_PERSON:
      return "per person / night";
    default:
      return "";
  }
}

export function formatDate(ts: Timestamp | undefined): string {
  if (!ts) return "";
  return timestampDate(ts).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatRating(average: number, count: bigint): string {
  if (count === 0n) return "No reviews yet";
  return `${average.toFixed(1)} ★ · ${count} review${count === 1n ? "" : "s"}`;
}
