// Run by the mongo image once, when its data volume is new (/docker-entrypoint-initdb.d), as the root user.
// One user per service, in that service's database, with access to it alone; metrics may also write its
// rebuild's scratch database (python -m metrics.rebuild). The passwords come from the environment (.env).
const databases = {
  registration: { registration: ["readWrite"] },
  events: { events: ["readWrite"] },
  metrics: { metrics: ["readWrite"], metrics_rebuild: ["readWrite", "dbAdmin"] },
  gateway: { gateway: ["readWrite"] },
};

for (const [service, grants] of Object.entries(databases)) {
  const variable = `MONGO_${service.toUpperCase()}_PASSWORD`;
  const password = process.env[variable];
  if (!password) {
    throw new Error(`${variable} is not set: run 'make keys > .env'`);
  }
  const roles = Object.entries(grants).flatMap(([db, names]) => names.map((role) => ({ role, db })));
  db.getSiblingDB(service).createUser({ user: service, pwd: password, roles });
}
