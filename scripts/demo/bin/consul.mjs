// consul, as far as web.yml uses it, against the agent at CONSUL_HTTP_ADDR (as the real CLI):
//   consul force-leave -prune NODE
const address = process.env.CONSUL_HTTP_ADDR ?? '127.0.0.1:8500';
const agent = /^https?:\/\//.test(address) ? address : `http://${address}`;
const args = process.argv.slice(2);
if (args[0] === 'force-leave' && args[1] === '-prune' && args.length === 3) {
  const response = await fetch(`${agent}/v1/agent/force-leave/${encodeURIComponent(args[2])}?prune=1`, {
    method: 'PUT',
  });
  if (!response.ok) {
    process.stderr.write(`Error force leaving: Unexpected response code: ${response.status}\n`);
    process.exit(1);
  }
} else {
  process.stderr.write(`consul (demo stand-in): only force-leave -prune NODE, not: ${args.join(' ')}\n`);
  process.exit(2);
}
