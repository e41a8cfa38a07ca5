"use client";

import { useEffect, useState } from "react";

/** The current time in ms, updated every `intervalMs`, so relative times tick without refetching. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
