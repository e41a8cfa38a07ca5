/** The product version, shown by the server and written into export manifests. */
export const tollgateVersion = "0.1.0";
