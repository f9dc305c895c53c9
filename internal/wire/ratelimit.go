package wire

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/internal/store"
	"github.com/inburgering/portal/portal"
)

// RateLimits are the RATE_LIMIT_* settings, each "requests/window" (the window in Go duration
// syntax: 30s, 1m, 1h) or "off"; an empty one takes its default. README.md explains them.
type RateLimits struct {
	APIIP, APIToken, TokensIP, LoginIP, LookupSession, LookupIP string
}

// rateLimitSettings name each setting's variable, policy and default.
var rateLimitSettings = []struct {
	env, policy, def string
	field            func(*RateLimits) *string
}{
	{"RATE_LIMIT_API_IP", "api-ip", "1200/1m", func(r *RateLimits) *string { return &r.APIIP }},                       // every /v2 request, per client IP
	{"RATE_LIMIT_API_TOKEN", "api-token", "600/1m", func(r *RateLimits) *string { return &r.APIToken }},               // every /v2 request with a bearer token, per token
	{"RATE_LIMIT_TOKENS_IP", "tokens-ip", "20/1m", func(r *RateLimits) *string { return &r.TokensIP }},                // token issuing (POST /v2/demo-tokens, POST /v2/oauth2/token), per IP
	{"RATE_LIMIT_LOGIN_IP", "login-ip", "60/1m", func(r *RateLimits) *string { return &r.LoginIP }},                   // demo login, OIDC start and callback, per IP
	{"RATE_LIMIT_LOOKUP_SESSION", "lookup-session", "10/1m", func(r *RateLimits) *string { return &r.LookupSession }}, // staff BSN lookup, per staff session
	{"RATE_LIMIT_LOOKUP_IP", "lookup-ip", "30/1m", func(r *RateLimits) *string { return &r.LookupIP }},                // staff BSN lookup, per IP
}

func rateLimitsFromEnv(get func(k, def string) string) RateLimits {
	var r RateLimits
	for _, s := range rateLimitSettings {
		*s.field(&r) = get(s.env, "")
	}
	return r
}

// ratePolicies parses the settings into policies by name.
func (c Config) ratePolicies() (map[string]server.RatePolicy, error) {
	out := make(map[string]server.RatePolicy, len(rateLimitSettings))
	for _, s := range rateLimitSettings {
		v := *s.field(&c.RateLimits)
		if v == "" {
			v = s.def
		}
		p, err := parseRatePolicy(s.policy, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.env, err)
		}
		out[s.policy] = p
	}
	return out, nil
}

func parseRatePolicy(name, v string) (server.RatePolicy, error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "off") {
		return server.RatePolicy{Name: name}, nil
	}
	n, w, ok := strings.Cut(v, "/")
	limit, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
	if !ok || err != nil || limit < 1 {
		return server.RatePolicy{}, fmt.Errorf("%q is not requests/window (like 20/1m) or off", v)
	}
	window, err := time.ParseDuration(strings.TrimSpace(w))
	if err != nil || window < time.Second || window%time.Second != 0 || window > 24*time.Hour {
		return server.RatePolicy{}, fmt.Errorf("%q: the window must be whole seconds from 1s to 24h (like 30s, 1m, 1h)", v)
	}
	return server.RatePolicy{Name: name, Limit: limit, Window: window}, nil
}

// limitRequests puts the rate limits in front of every route of e (see README.md, Rate limits).
func limitRequests(e *echo.Echo, cfg Config, st *store.Store, sessionKey []byte, now func() time.Time, logger *slog.Logger, reg prometheus.Registerer) error {
	extract, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	if extract != nil {
		e.IPExtractor = extract
	}
	limit, err := rateLimiting(cfg, st, sessionKey, now, logger, reg)
	if err != nil {
		return err
	}
	e.Use(limit)
	return nil
}

// rateLimiting builds the limiter on the store and the middleware choosing its rules by route:
// the routes listed in limitedRoutes get their own rules, every other /v2 request the API rules.
func rateLimiting(cfg Config, st *store.Store, sessionKey []byte, now func() time.Time, logger *slog.Logger, reg prometheus.Registerer) (echo.MiddlewareFunc, error) {
	policies, err := cfg.ratePolicies()
	if err != nil {
		return nil, err
	}
	key, err := hkdf.Key(sha256.New, sessionKey, nil, "inburgering rate-limit keys", 32)
	if err != nil {
		return nil, err
	}
	limiter := server.NewRateLimiter(server.RateLimiterOptions{Counter: st, Key: key, Now: now, Logger: logger, Registry: reg})
	routes := limitedRoutes(policies)
	api := routes["api"]
	return limiter.Middleware(func(c echo.Context) []server.RateRule {
		if r, ok := routes[c.Request().Method+" "+c.Path()]; ok {
			return r
		}
		if server.IsAPI(c) {
			return api
		}
		return nil
	}), nil
}

// limitedRoutes maps "METHOD route" to its rules; "api" holds the rules of every other /v2 request.
func limitedRoutes(p map[string]server.RatePolicy) map[string][]server.RateRule {
	ip := func(name string) server.RateRule { return server.RateRule{Policy: p[name], Subject: server.ClientIP} }
	api := []server.RateRule{ip("api-ip"), {Policy: p["api-token"], Subject: server.BearerToken}}
	login := []server.RateRule{ip("login-ip")}
	return map[string][]server.RateRule{
		"api":                                          api,
		http.MethodPost + " /v2/demo-tokens":           append(api[:len(api):len(api)], ip("tokens-ip")),
		http.MethodPost + " /v2/oauth2/token":          append(api[:len(api):len(api)], ip("tokens-ip")), // school tokens (issue 10)
		http.MethodPost + " /:lang/inloggen/demo":      login,
		http.MethodGet + " /:lang/inloggen/digid":      login,
		http.MethodGet + " /:lang/medewerker/inloggen": login,
		http.MethodGet + " /auth/callback":             login,
		http.MethodPost + " /:lang/medewerker/opzoeken": {
			{Policy: p["lookup-session"], Subject: server.CookieValue(portal.SessionCookie)}, ip("lookup-ip"),
		},
	}
}

// ipExtractor trusts X-Forwarded-For from the configured proxies only; without any, the
// connection's address is the client (what server.New sets).
func ipExtractor(trusted string) (echo.IPExtractor, error) {
	if strings.TrimSpace(trusted) == "" {
		return nil, nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, s := range strings.Split(trusted, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if ip := net.ParseIP(s); ip != nil && ip.To4() != nil {
				s += "/32"
			} else {
				s += "/128"
			}
		}
		_, ipnet, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or CIDR range", s)
		}
		opts = append(opts, echo.TrustIPRange(ipnet))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}
