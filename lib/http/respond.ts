import { NextResponse } from "next/server";
import type { AppError } from "@/lib/errors";

// Every API answer is personal or about authentication: never cache it anywhere.
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function noContent(): NextResponse {
  return new NextResponse(null, { status: 204, headers: NO_STORE });
}

export function errorResponse(error: AppError): NextResponse {
  return json(error.toBody(), error.status, error.headers ?? {});
}
