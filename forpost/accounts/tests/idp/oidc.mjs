// A real OpenID Connect provider for the single sign-on tests: the certified `oidc-provider`
// (npm), with one confidential client (Forpost) and the test accounts of a JSON file.
//
//   node oidc.mjs PORT REDIRECT_URI POST_LOGOUT_URI ACCOUNTS_JSON
//
// The accounts file ({"dora": {"password": ..., "groups": [...], ...}}) is read at every
// login and every claims lookup, so a test can change a person's groups or remove the person,
// the way the municipality's IT would in Entra ID. The login page is a plain form; consent is
// implied, as it is for a municipality's own applications.
import http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider, { interactionPolicy } from 'oidc-provider';

const [port, redirectUri, postLogoutUri, accountsFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

// A person removed by IT loses the sessions open at the provider too (as in Entra ID): the
// login prompt is due again, so a silent check (prompt=none) answers login_required.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'account_removed',
  'The account no longer exists',
  (ctx) => Boolean(ctx.oidc.session.accountId && !accounts()[ctx.oidc.session.accountId]),
));

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'forpost',
    client_secret: 'forpost-test-secret',
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email'],
    profile: ['given_name', 'family_name', 'preferred_username', 'groups'],
  },
  async findAccount(ctx, sub) {
    const person = accounts()[sub];
    if (!person) return undefined; // removed at the identity provider
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: person.email,
          given_name: person.given_name,
          family_name: person.family_name,
          preferred_username: sub,
          groups: person.groups,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  interactions: { policy },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><body>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`;
      },
    },
  },
  cookies: { keys: ['forpost-test-cookie-key'] },
  pkce: { required: () => true },
});

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html><body><form method="post" action="/interaction/${details.uid}/login">
      <input name="login"><input name="password" type="password"><button>Sign in</button></form></body></html>`);
    return;
  }
  const form = await readBody(req);
  const person = accounts()[form.get('login')];
  if (!person || person.password !== form.get('password')) {
    // An unknown (removed) person or a wrong password: the provider says no to the client.
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Unknown user' });
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: form.get('login') } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
    return;
  }
  callback(req, res);
}).listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

provider.on('server_error', (ctx, err) => { process.stderr.write(`server_error ${err.stack}\n`); });
