/** English: the commands' own output and errors (src/commands/). Composed into src/i18n/en.ts. */
export const enCommands = {
  'cmd.usage': 'usage: {synopsis}',
  // --- check: who holds a lesson's port (check-command.ts) ---------------------------------
  'cmd.holder.who': '127.0.0.1:{port} is held by {who}',
  'cmd.holder.stopIt': '{who}: stop that process (only it)',
  'cmd.holder.rightPod': '{who}: is it forwarding to the right pod and port?',
  'cmd.holder.notForward': '{who}, not a port-forward: stop that process',
  'cmd.holder.notForwardFlag': '{who}, not a port-forward: stop that process, or forward another local port and run again with --port {port}=THAT_PORT',
  // --- a lesson's forward ports taken before start/test/play (port-flags.ts) ---------------
  'cmd.ports.forwardOne': 'forward {name} listens',
  'cmd.ports.forwardMany': 'forwards {names} listen',
  'cmd.ports.taken': "port {local}, where the lesson's {forwards} (step {steps}), is taken by {who}. Stop that process, or run again with --port {lessonPort}={free} (or --port {lessonPort}=auto for any free port).",
  // --- lint ------------------------------------------------------------------------------------
  'cmd.lint.usage': 'usage: kubetutor lint PATH (a lesson.md, or the folder holding it)',
  'cmd.lint.noLesson': 'no lesson at {file}',
  'cmd.lint.error': 'error',
  'cmd.lint.warning': 'warning',
  'cmd.lint.errors': { one: '{count} error', other: '{count} errors' },
  'cmd.lint.warnings': { one: '{count} warning', other: '{count} warnings' },
  'cmd.lint.tally': '{path}: {errors}, {warnings}',
  // --- import ----------------------------------------------------------------------------------
  'cmd.import.cannotRead': 'cannot read {file}',
  'cmd.import.exists': '{file} already exists; not overwriting it (remove it or pick another --out)',
  'cmd.import.written': { one: '{count} step; fill in the check blocks, then: {command}', other: '{count} steps; fill in the check blocks, then: {command}' },
  // --- class -----------------------------------------------------------------------------------
  'cmd.class.title': 'class {namespace} — {time}',
  'cmd.class.forbidden': 'not allowed to list ConfigMaps in {namespace}',
  'cmd.class.cannotRead': 'cannot read the class in {namespace}: {why}',
  // --- cleanup ---------------------------------------------------------------------------------
  'cmd.cleanup.none': 'No processes from earlier kubetutor runs are running.',
  'cmd.cleanup.row': '{what}   (lesson {lesson}, {target}, since {since})',
  'cmd.cleanup.how': { one: 'Stop it with: {command}', other: 'Stop them with: {command}' },
  // --- sandbox ---------------------------------------------------------------------------------
  'cmd.sandbox.badPort': '--port must be a port number (0-65535), not "{value}"',
  'cmd.sandbox.serving': 'sandbox "{scenario}" serving the Kubernetes API at {url} (loopback only)',
  'cmd.sandbox.gateway': 'ingress gateway (http2 node port) at {url}',
  'cmd.sandbox.try': 'try: {command}',
  'cmd.sandbox.stopHow': 'press Ctrl-C to stop',
  'cmd.sandbox.stopped': 'sandbox stopped',
  // --- traces ----------------------------------------------------------------------------------
  'cmd.traces.compareTwo': '--compare needs two traces: --compare A B (trace ids, or files holding one trace each)',
  'cmd.traces.otlpJson': '--format otlp goes with --json (kubetutor traces --json --format otlp)',
  'cmd.traces.otlpNotWith': '--format otlp writes a trace; it does not go with --compare or --stats',
  'cmd.traces.compareOrStats': 'choose either --compare A B or --stats',
  'cmd.traces.jaegerOrFile': 'choose either --jaeger URL or --file F',
  'cmd.traces.noTraceWhere': 'no trace {id}: give --jaeger URL or --file F to look trace ids up in',
  'cmd.traces.cannotRead': 'cannot read {file}: {why}',
  'cmd.traces.noTraceIn': 'no trace {id} in {file}',
  'cmd.traces.noService': 'Jaeger at {url} has no service "{service}" (it has: {services}); send some traffic first',
  'cmd.traces.noServices': 'Jaeger at {url} has no services yet: send some traffic first',
  'cmd.traces.holdsNone': '{ref} holds no trace',
  'cmd.traces.holdsMany': '{ref} holds {count} traces; name one by its id with --file {ref} --compare ID ID',
  'cmd.traces.noneFound': 'no traces found',
  'cmd.traces.mostRecent': '(the most recent of {count} traces; --trace ID picks another)',
  // --- traffic ---------------------------------------------------------------------------------
  'cmd.traffic.urlOrPath': 'choose either --url URL or --path PATH (the path goes on GATEWAY_URL)',
  'cmd.traffic.badTimeout': '--timeout must be a positive number of seconds, not "{value}"',
  'cmd.traffic.badInt': '{flag} must be a positive whole number, not "{value}"',
  'cmd.traffic.fromEnv': 'from the GATEWAY_URL environment variable',
  'cmd.traffic.noKubeconfig': 'GATEWAY_URL is not set and there is no kubeconfig ({files}) to find it with: export GATEWAY_URL=HOST:PORT, set KUBECONFIG, or pass --url http://HOST:PORT{path}',
  'cmd.traffic.cannotFind': 'cannot find GATEWAY_URL: {why}',
} as const;
