/**
 * The ServiceOffer CRD (`serviceoffers.obol.org`, v1alpha1), with field names compatible with the
 * reference system's CRD. Prices are plain strings here on purpose: Tollgate validates them (and says
 * why on the resource with `Accepted=False`) instead of the API server refusing the write.
 */
type Schema = Record<string, unknown>;
const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
const obj = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  description,
  properties,
  ...extra,
});

export const SERVICE_OFFER_GROUP = "obol.org";
export const SERVICE_OFFER_VERSION = "v1alpha1";
export const SERVICE_OFFER_PLURAL = "serviceoffers";
export const SERVICE_OFFER_CRD_NAME = `${SERVICE_OFFER_PLURAL}.${SERVICE_OFFER_GROUP}`;
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "tollgate";
export const LEDGER_FINALIZER = "tollgate.dev/ledger";
export const FIELD_MANAGER = "tollgate";

const conditions: Schema = {
  type: "array",
  description: "Conditions mirrored from the Tollgate ledger, plus Accepted for the last spec edit.",
  "x-kubernetes-list-type": "map",
  "x-kubernetes-list-map-keys": ["type"],
  items: obj(
    "One condition.",
    {
      type: str("Condition type, e.g. Ready."),
      status: str("True, False or Unknown.", { enum: ["True", "False", "Unknown"] }),
      reason: str("A stable identifier of the reason."),
      message: str("Human-readable detail."),
      lastTransitionTime: str("When the status last changed.", { format: "date-time" }),
      observedGeneration: { type: "integer", description: "The generation the condition was computed for." },
    },
    { required: ["type", "status"] },
  ),
};

const price: Schema = obj("Price in token units (decimal strings); exactly one unit.", {
  perRequest: str('Price per request, e.g. "0.01".'),
  perMTok: str("Price per million tokens."),
  perHour: str("Price per hour of access."),
});

export const serviceOfferSchema: Schema = obj(
  "ServiceOffer is an offer for sale through Tollgate: an upstream behind an x402 payment gate.",
  {
    spec: obj(
      "What is sold, where it runs and how it is paid.",
      {
        type: str("Offer type.", { enum: ["http", "inference", "agent"], default: "http" }),
        model: obj("The model (inference offers).", {
          name: str("Model name as the upstream lists it."),
          runtime: str("Model runtime.", { enum: ["ollama", "vllm", "tgi"] }),
        }),
        upstream: obj("The upstream: a cluster Service, or (Tollgate extension) a URL.", {
          service: str("Service name."),
          namespace: str("Service namespace."),
          port: { type: "integer", minimum: 1, maximum: 65535, description: "Service port." },
          healthPath: str("Health path probed with GET.", { default: "/health" }),
          url: str("Absolute http(s) URL of an upstream outside the cluster (Tollgate extension)."),
        }),
        payment: obj(
          "How buyers pay.",
          {
            scheme: str("x402 scheme.", { enum: ["exact"], default: "exact" }),
            network: str("Chain name configured in Tollgate, e.g. local or base-sepolia."),
            payTo: str("Payee address (0x…); the chain's default payee when absent."),
            maxTimeoutSeconds: { type: "integer", description: "Payment validity in seconds." },
            price,
          },
          { required: ["network", "price"] },
        ),
        path: str("Public path, default /services/<name>."),
        description: str("What the offer sells."),
        registration: obj("ERC-8004 registration.", {
          enabled: { type: "boolean", description: "Register the offer on-chain." },
          name: str("Registration name."),
          description: str("Registration description."),
          skills: { type: "array", items: { type: "string" }, description: "Skills." },
        }),
      },
      { required: ["payment"] },
    ),
    status: obj("Observed state, written by Tollgate.", {
      observedGeneration: { type: "integer", description: "The spec generation Tollgate last processed." },
      endpoint: str("The public path the offer is served on."),
      conditions,
    }),
  },
);

/** The CustomResourceDefinition Tollgate installs when missing. */
export const serviceOfferCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: SERVICE_OFFER_CRD_NAME, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
  spec: {
    group: SERVICE_OFFER_GROUP,
    scope: "Namespaced",
    names: {
      plural: SERVICE_OFFER_PLURAL,
      singular: "serviceoffer",
      kind: "ServiceOffer",
      listKind: "ServiceOfferList",
      shortNames: ["so"],
    },
    versions: [
      {
        name: SERVICE_OFFER_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: serviceOfferSchema },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: "Type", type: "string", jsonPath: ".spec.type" },
          { name: "Price", type: "string", jsonPath: ".spec.payment.price.perRequest" },
          { name: "Network", type: "string", jsonPath: ".spec.payment.network" },
          { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        ],
      },
    ],
  },
} as const;
