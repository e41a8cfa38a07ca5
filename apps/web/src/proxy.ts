import { type NextRequest, NextResponse } from "next/server";

/** Tells admin layouts which page was asked for, so the login page can send the owner back to it. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-tollgate-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/admin/:path*"] };
