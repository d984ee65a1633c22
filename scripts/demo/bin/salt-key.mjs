// salt-key, as far as web.yml uses it, against the demo's Salt master (DEMO_SALT_MASTER):
//   salt-key -L --out=json     prints the keys as JSON
//   salt-key -y -d ID          deletes one key
//   salt-key -y -a ID          accepts one pending key
const master = process.env.DEMO_SALT_MASTER;
if (!master) {
  process.stderr.write('salt-key (demo stand-in): DEMO_SALT_MASTER is not set\n');
  process.exit(2);
}
const args = process.argv.slice(2);
if (args[0] === '-L' && args[1] === '--out=json' && args.length === 2) {
  const response = await fetch(`${master}/keys`);
  if (!response.ok) {
    process.stderr.write(`salt-key: the master answered HTTP ${response.status}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(await response.json(), null, 4)}\n`);
} else if (args[0] === '-y' && args[1] === '-d' && args.length === 3) {
  const response = await fetch(`${master}/keys/${encodeURIComponent(args[2])}`, { method: 'DELETE' });
  if (!response.ok) {
    process.stderr.write(`salt-key: ${(await response.json()).error}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `Deleting the following keys:\nAccepted Keys:\n${args[2]}\nKey for minion ${args[2]} deleted.\n`,
  );
} else if (args[0] === '-y' && args[1] === '-a' && args.length === 3) {
  const response = await fetch(`${master}/keys/${encodeURIComponent(args[2])}/accept`, { method: 'POST' });
  if (!response.ok) {
    process.stderr.write(`salt-key: ${(await response.json()).error}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `The following keys are going to be accepted:\nUnaccepted Keys:\n${args[2]}\nKey for minion ${args[2]} accepted.\n`,
  );
} else {
  process.stderr.write(
    `salt-key (demo stand-in): only -L --out=json, -y -d ID and -y -a ID, not: ${args.join(' ')}\n`,
  );
  process.exit(2);
}
