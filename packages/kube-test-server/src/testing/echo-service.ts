/**
 * Manifest of the `echo` Service in `default` (port 8080) with one ready EndpointSlice on 127.0.0.1:
 * `k8s://default/echo:8080` then resolves to a loopback port, for tests whose upstream runs on the host.
 */
export const echoServiceManifest = (targetPort: number): string => `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {ports: [{name: http, port: 8080, targetPort: ${targetPort}}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-abc12, namespace: default, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
ports: [{name: http, port: ${targetPort}, protocol: TCP}]
`;
