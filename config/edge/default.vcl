vcl 4.1;
# The edge cache in front of the app servers (docs/operations.md, `make edge`).
#
# It keeps only what the app marks as shareable: a response with an `xkey` header (the surrogate
# keys of what the page shows, pagecache/edge.py) and `s-maxage`. Everything else (the admin,
# account pages, forms, search, signed-in staff, errors) passes straight through. The app purges
# by key on every change, so a publish shows on the next request; when no app server answers,
# pages kept here are served stale for up to a day, saying so only in `X-Edge: stale`.
#
# `make edge` (config/edge/run.py) and compose.yaml fill in the app servers' addresses
# (APP_HOST_1, APP_PORT_1, APP_HOST_2, APP_PORT_2).

import directors;
import std;
import xkey;

probe healthz {
    .url = "/healthz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "APP_HOST_1";
    .port = "APP_PORT_1";
    .probe = healthz;
}

backend app2 {
    .host = "APP_HOST_2";
    .port = "APP_PORT_2";
    .probe = healthz;
}

# Who may purge: the app servers (on this machine, or on compose's private network).
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app1);
    apps.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = apps.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Hard purge: the next request renders anew, never a stale copy.
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.X-Purged));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff (a session cookie) and the pages that are never shared.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" ||
        req.url ~ "^/(admin|documents|healthz)(/|$)" ||
        req.url ~ "^/[a-z]{2}/(accounts|search)/" ||
        req.url == "/") {
        return (pass);
    }
    # Anything else the app may share carries no cookie; a stray one must not split the cache.
    unset req.http.Cookie;
    # One variant per encoding the app sends (Brotli, gzip, none).
    if (req.http.Accept-Encoding ~ "br") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_hit {
    if (obj.ttl <= 0s) {
        # Kept past its time only while no app server is healthy (grace below).
        set req.http.X-Edge-Stale = "1";
    }
}

sub vcl_backend_response {
    if (!beresp.http.xkey || beresp.status != 200) {
        # Not marked shareable by the app: never kept.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # beresp.ttl comes from s-maxage; browsers keep `no-cache` and revalidate with the app's
    # ETag, answered here.
    set beresp.grace = 24h;
    unset beresp.http.Set-Cookie;
    return (deliver);
}

sub vcl_backend_error {
    # While the apps are down, vcl_hit serves a kept page from grace; others get this.
    set beresp.http.Retry-After = "30";
}

sub vcl_deliver {
    # Keys and hit counts are the edge's business.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Edge = "hit";
    } else {
        set resp.http.X-Edge = "miss";
    }
    if (req.http.X-Edge-Stale) {
        set resp.http.X-Edge = "stale";
    }
    # Browsers revalidate every time (the app's Cache-Control says no-cache); s-maxage was for us.
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ",\s*s-maxage=\d+", "");
    }
}
