// The route table moved to the local driver; this path stays for code written against the old one.
export { createInMemoryRouteTable } from "../drivers/local/in-memory-route-table.ts";
