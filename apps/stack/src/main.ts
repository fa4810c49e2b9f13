import { Supervisor, localStackOptions, localStackPrograms } from '#libs/local-stack';

// `npm run up` runs this after the set-up: api, worker, Prometheus and Alertmanager, supervised.
const options = localStackOptions(process.env, process.cwd());
const supervisor = new Supervisor(localStackPrograms(options));
supervisor.start();
const ui = options.withPrometheus
  ? `, Prometheus http://localhost:${options.prometheusPort}, Alertmanager http://localhost:${options.alertmanagerPort}`
  : '';
console.log(
  `[up] api http://localhost:${options.apiPort} (support page: /support, API docs: /docs), ` +
    `worker http://localhost:${options.workerPort}${ui}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void supervisor.stop().then(() => process.exit(0)));
}
