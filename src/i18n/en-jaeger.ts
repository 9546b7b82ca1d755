/** English: the jaeger-traces check kind (src/checks/kinds/jaeger.ts). Composed into src/i18n/en.ts. */
export const enJaeger = {
  // --- the trace search's failures (shown as what was found) -------------------------------
  'jaeger.query.answered': 'GET {url} answered {status}: {body}',
  'jaeger.query.emptyBody': 'an empty body',
  'jaeger.query.notEnvelope': 'GET {url} answered {what}, not Jaeger\'s {"data": [...]} envelope',
  'jaeger.query.reported': 'Jaeger reported: {errors}',
  'jaeger.query.badErrors': 'GET {url} answered with "errors" {what}: {body}',
  'jaeger.query.badData': 'GET {url} answered with "data" {what}, not a list of traces',

  // --- what was expected, what was found ---------------------------------------------------
  'jaeger.expected': { one: 'at least {count} trace for {service} in Jaeger at {url}{since}', other: 'at least {count} traces for {service} in Jaeger at {url}{since}' },
  'jaeger.sinceStart': ' since the lesson started',
  'jaeger.window': ' since the lesson started ({time})',
  'jaeger.found': { one: '{count} trace{window} at {at}', other: '{count} traces{window} at {at}' },
  'jaeger.passed': { one: '{shown} trace for {names} in Jaeger{window}', other: '{shown} traces for {names} in Jaeger{window}' },
  'jaeger.tooFew': '{found} of {min} traces for {names} in Jaeger{window}',
  'jaeger.older': { one: 'Jaeger has {count} older trace for {names}, from before the lesson started: send new requests', other: 'Jaeger has {count} older traces for {names}, from before the lesson started: send new requests' },
  'jaeger.sendAnother': 'each request through the gateway to {app} makes one trace when it is sampled: send another (e.g. {command})',
  'jaeger.sendMore': 'each request through the gateway to {app} makes one trace when it is sampled: send some more (e.g. {command})',

  // --- Jaeger not reached, or not Jaeger ---------------------------------------------------
  'jaeger.noJaeger': 'no Jaeger at {url}: {found}',
  'jaeger.htmlPage': 'an HTML page',
  'jaeger.webPage': '{url} serves a web page, not the Jaeger query API',
  'jaeger.webPageWhy': 'Jaeger UI answers unknown paths with its HTML page, so its API is under another base path (QUERY_BASE_PATH), or this is not Jaeger',
  'jaeger.basePathsTried': 'the base paths tried were / and /jaeger: give the check the URL the Jaeger UI runs at',
  'jaeger.basePathHere': 'this cluster\'s Jaeger serves its API at {path}: is the forward pointing at the app=jaeger pod\'s port 16686?',
  'jaeger.noApi': 'no Jaeger query API at {url}',
  'jaeger.noApiWhy': 'something answers there, but not Jaeger: is the port-forward pointing at the right pod and port (16686)?',
  'jaeger.forward': 'start the port-forward to Jaeger: its query port is 16686 on the app=jaeger pod ({command}); only Istio 1.1 pre-release builds also served it on the ingress gateway\'s 15032',
  'jaeger.forwardHere': 'start the port-forward to Jaeger; the forward that works here: {command}{alt} ({why})',
  'jaeger.forwardAlt': ', or without istioctl: {command}',

  // --- the service unknown to Jaeger -------------------------------------------------------
  'jaeger.unknownService': 'Jaeger knows no service {service}',
  'jaeger.services': 'services in Jaeger: {services}',
  'jaeger.gatewayOnly': 'the ingress gateway reports spans but {service} does not: did the requests reach {service}?',
  'jaeger.gatewayOnlyWhy': 'the ingress gateway reports spans but {service} does not: its pods likely lack the istio-proxy sidecar, or no request reached it',
  'jaeger.noSpansAtAll': 'Jaeger has received no spans from the mesh at all: is tracing enabled in the mesh, and has any request gone through it?',
  'jaeger.noTraffic': 'no traffic yet: send requests through the gateway (e.g. {command}), then check again',
  'jaeger.noSidecars': 'sidecars missing: pods without the istio-proxy container send no spans ({command} shows 2/2 containers when injected)',
  'jaeger.samplingLow': 'sampling low: at 1% sampling only about one request in a hundred becomes a trace; send more requests, or raise the sampling rate (PILOT_TRACE_SAMPLING on istio-pilot, or a Telemetry resource on modern Istio)',
  'jaeger.samplingLowFor': '{advice}; {service} appears in Jaeger once one of its requests is sampled',
  'jaeger.searchFailed': 'the trace search for {names} failed',
  'jaeger.searchFailedWhy': 'Jaeger\'s API at {at} listed the service but its search failed: is the Jaeger pod healthy?',

  // --- what the cluster says (when the check fails) ----------------------------------------
  'jaeger.notInstalled': 'tracing is not installed: no Jaeger (app=jaeger) runs in istio-system, so nothing collects the spans; {install}',
  'jaeger.installAddon': 'install the Jaeger add-on ({command} from Istio\'s release)',
  'jaeger.reinstall': 'reinstall Istio with the {profile} profile, or with Helm and {flag}',
  'jaeger.meshOff': 'tracing is switched off in the mesh config (enableTracing: false in ConfigMap istio-system/istio): the proxies send no spans; set it to true',
  'jaeger.noPods': 'no {app} pods ({selector}) in namespace {namespace}: nothing serves {app}, so nothing can trace it; deploy it, then send requests',
  'jaeger.podsWithout': {
    one: 'sidecars missing: {names} has no istio-proxy container, so {app} sends no spans ({command} shows 1/1 instead of 2/2)',
    other: 'sidecars missing: {names} have no istio-proxy container, so {app} sends no spans ({command} shows 1/1 instead of 2/2)',
  },
  'jaeger.podsWith': 'every {app} pod has the istio-proxy sidecar',
  'jaeger.samplingBelow': 'sampling is {rate}: {share}; send a few hundred requests, or {raise}',
  'jaeger.samplingFull': 'sampling is {rate}',
  'jaeger.shareNone': 'no request becomes a trace',
  'jaeger.shareOne': 'only about one request in a hundred becomes a trace',
  'jaeger.shareSome': 'only about {percent} requests in a hundred become traces',
  'jaeger.wrongName': 'wrong service name: Jaeger knows {similar}, not {service}{expect}; name that service in the check',
  'jaeger.wrongNameHere': ' (on this Istio it is {service})',
  'jaeger.fine': 'checked and fine: {fine}',
} as const;
