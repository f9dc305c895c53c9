package wire_test

import (
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/wire"

	"github.com/inburgering/portal/internal/domain"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnvDefaults(t *testing.T) {
	c := wire.FromEnv(env(nil))
	want := wire.Config{
		DatabaseURL: "", DataDir: "data", ListenAddr: ":8080", BaseURL: "http://localhost:8080",
		Mode: wire.ModeDemo, DemoLogin: true, OIDCBSNClaim: "bsn", OIDCRolesClaim: "roles", LogLevel: "info",
		SMTPPort: 587, SMTPTLS: "starttls", // no SMTP_HOST: no e-mail is sent
		Verification: domain.DefaultVerificationPeriods(),
	}
	if c != want {
		t.Errorf("FromEnv(empty) =\n%+v\nwant\n%+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c wire.Config)
	}{
		{"DATABASE_URL means production", map[string]string{"DATABASE_URL": "postgres://db/x"}, func(t *testing.T, c wire.Config) {
			if c.Mode != wire.ModeProduction || c.DemoLogin {
				t.Errorf("mode %s demo login %v, want production without demo login", c.Mode, c.DemoLogin)
			}
		}},
		{"MODE=demo with a database keeps the demo login", map[string]string{"DATABASE_URL": "postgres://db/x", "MODE": "demo"}, func(t *testing.T, c wire.Config) {
			if c.Mode != wire.ModeDemo || !c.DemoLogin {
				t.Errorf("mode %s demo login %v", c.Mode, c.DemoLogin)
			}
		}},
		{"DEMO_LOGIN=false in demo mode", map[string]string{"DEMO_LOGIN": "false"}, func(t *testing.T, c wire.Config) {
			if c.Mode != wire.ModeDemo || c.DemoLogin {
				t.Errorf("mode %s demo login %v", c.Mode, c.DemoLogin)
			}
		}},
		{"DEMO_LOGIN=0 in demo mode", map[string]string{"DEMO_LOGIN": "0"}, func(t *testing.T, c wire.Config) {
			if c.DemoLogin {
				t.Error("DEMO_LOGIN=0 left the demo login on")
			}
		}},
		{"DEMO_LOGIN=1 in production is on (and Validate refuses it)", map[string]string{"DATABASE_URL": "postgres://db/x", "DEMO_LOGIN": "1"}, func(t *testing.T, c wire.Config) {
			if !c.DemoLogin || c.Validate() == nil {
				t.Errorf("demo login %v, validate %v", c.DemoLogin, c.Validate())
			}
		}},
		{"DEMO_ON_POSTGRES=yes", map[string]string{"DATABASE_URL": "postgres://db/x", "MODE": "demo", "DEMO_ON_POSTGRES": "yes"}, func(t *testing.T, c wire.Config) {
			if !c.DemoOnPostgres || c.Validate() != nil {
				t.Errorf("demo on postgres %v, validate %v", c.DemoOnPostgres, c.Validate())
			}
		}},
		{"whitespace is trimmed, BASE_URL loses its slash", map[string]string{"LISTEN_ADDR": " :9090 ", "BASE_URL": "https://portal.example/ ", "DATA_DIR": "\t/var/lib/x\n"}, func(t *testing.T, c wire.Config) {
			if c.ListenAddr != ":9090" || c.BaseURL != "https://portal.example" || c.DataDir != "/var/lib/x" {
				t.Errorf("%+v", c)
			}
		}},
		{"OIDC settings", map[string]string{"OIDC_ISSUER": "https://idp", "OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "s", "OIDC_BSN_CLAIM": "urn:bsn", "OIDC_ROLES_CLAIM": "groups"}, func(t *testing.T, c wire.Config) {
			if c.OIDCIssuer != "https://idp" || c.OIDCClientID != "id" || c.OIDCClientSecret != "s" || c.OIDCBSNClaim != "urn:bsn" || c.OIDCRolesClaim != "groups" {
				t.Errorf("%+v", c)
			}
		}},
		{"keys, access tokens, metrics", map[string]string{"PSEUDONYM_KEY": "pk", "OIDC_API_AUDIENCE": "api", "OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS": "TRUE", "METRICS_TOKEN": "mt", "METRICS_ADDR": ":9100"}, func(t *testing.T, c wire.Config) {
			if c.PseudonymKey != "pk" || c.OIDCAPIAudience != "api" || !c.OIDCAcceptPlainJWT || c.MetricsToken != "mt" || c.MetricsAddr != ":9100" {
				t.Errorf("%+v", c)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, wire.FromEnv(env(tt.env))) })
	}
}

// production is a complete, acceptable production environment.
func production() map[string]string {
	return map[string]string{
		"DATABASE_URL":       "postgres://app@db:5432/inburgering",
		"BASE_URL":           "https://mijn.inburgering.example",
		"OIDC_ISSUER":        "https://broker.example/oidc",
		"OIDC_CLIENT_ID":     "portal",
		"OIDC_CLIENT_SECRET": "s3cret",
		"SESSION_KEY":        strings.Repeat("k", 32),
		"PSEUDONYM_KEY":      strings.Repeat("p", 32),
	}
}

func TestValidateProduction(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]string // "" deletes the variable
		cause  string            // substring the one-line error must name; "" means accepted
	}{
		{"complete", nil, ""},
		{"explicit MODE=production", map[string]string{"MODE": "production"}, ""},
		{"DEMO_LOGIN=false is fine", map[string]string{"DEMO_LOGIN": "false"}, ""},
		{"demo login on", map[string]string{"DEMO_LOGIN": "true"}, "DEMO_LOGIN"},
		{"no issuer", map[string]string{"OIDC_ISSUER": ""}, "OIDC_ISSUER"},
		{"no client id", map[string]string{"OIDC_CLIENT_ID": ""}, "OIDC_CLIENT_ID"},
		{"no client secret", map[string]string{"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"},
		{"no session key", map[string]string{"SESSION_KEY": ""}, "SESSION_KEY"},
		{"short session key", map[string]string{"SESSION_KEY": strings.Repeat("k", 31)}, "SESSION_KEY"},
		{"no database", map[string]string{"DATABASE_URL": "", "MODE": "production"}, "DATABASE_URL"},
		{"http BASE_URL", map[string]string{"BASE_URL": "http://mijn.inburgering.example"}, "BASE_URL"},
		{"default BASE_URL", map[string]string{"BASE_URL": ""}, "BASE_URL"},
		{"no pseudonym key", map[string]string{"PSEUDONYM_KEY": ""}, "PSEUDONYM_KEY"},
		{"short pseudonym key", map[string]string{"PSEUDONYM_KEY": strings.Repeat("p", 31)}, "PSEUDONYM_KEY"},
		{"pseudonym key = session key", map[string]string{"PSEUDONYM_KEY": strings.Repeat("k", 32)}, "PSEUDONYM_KEY must differ"},
		{"API audience = client ID", map[string]string{"OIDC_API_AUDIENCE": "portal"}, "OIDC_API_AUDIENCE"},
		{"API audience of its own", map[string]string{"OIDC_API_AUDIENCE": "https://api.inburgering.example"}, ""},
		{"plain JWTs accepted on purpose", map[string]string{"OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS": "true"}, ""},
		{"misspelt plain-JWT switch", map[string]string{"OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS": "ja"}, "OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS"},
		{"short metrics token", map[string]string{"METRICS_TOKEN": "abc"}, "METRICS_TOKEN"},
		{"metrics token", map[string]string{"METRICS_TOKEN": strings.Repeat("m", 32)}, ""},
		{"metrics on the main address", map[string]string{"METRICS_ADDR": ":8080"}, "METRICS_ADDR"},
		{"metrics on an address of their own", map[string]string{"METRICS_ADDR": "127.0.0.1:9100"}, ""},
		{"bogus MODE", map[string]string{"MODE": "bogus"}, "MODE"},
		{"MODE with a newline", map[string]string{"MODE": "prod\nuction"}, "MODE"},
		{"everything missing", map[string]string{"DATABASE_URL": "", "MODE": "production", "OIDC_ISSUER": "", "SESSION_KEY": "", "BASE_URL": "", "DEMO_LOGIN": "true"}, "SESSION_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := production()
			for k, v := range tt.change {
				if v == "" {
					delete(e, k)
				} else {
					e[k] = v
				}
			}
			err := wire.FromEnv(env(e)).Validate()
			if tt.cause == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, want refusal naming %s", tt.cause)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if !strings.Contains(msg, tt.cause) {
				t.Errorf("error %q does not name %s", msg, tt.cause)
			}
		})
	}
}

// Demo mode never needs secrets: it runs out of the box, on SQLite. On PostgreSQL, a real database,
// its passwordless logins need an explicit opt-in.
func TestValidateDemo(t *testing.T) {
	for _, e := range []map[string]string{nil, {"MODE": "demo"}, {"MODE": "demo", "DATABASE_URL": "sqlite:/tmp/x.db"},
		{"MODE": "demo", "DATABASE_URL": "postgres://db/x", "DEMO_ON_POSTGRES": "yes"},
		{"MODE": "demo", "DATABASE_URL": "postgresql://db/x", "DEMO_ON_POSTGRES": "TRUE"}} {
		if err := wire.FromEnv(env(e)).Validate(); err != nil {
			t.Errorf("%v: %v", e, err)
		}
	}
	// Settings that are wrong whatever the mode are refused in demo mode too.
	for _, e := range []map[string]string{
		{"OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS": "yes please"},
		{"OIDC_CLIENT_ID": "portal", "OIDC_API_AUDIENCE": "portal"},
		{"SESSION_KEY": strings.Repeat("k", 32), "PSEUDONYM_KEY": strings.Repeat("k", 32)},
	} {
		if err := wire.FromEnv(env(e)).Validate(); err == nil {
			t.Errorf("demo mode accepted %v", e)
		}
	}
	for _, e := range []map[string]string{{"MODE": "demo", "DATABASE_URL": "postgres://db/x"},
		{"MODE": "demo", "DATABASE_URL": "postgresql://db/x", "DEMO_ON_POSTGRES": "no"}} {
		err := wire.FromEnv(env(e)).Validate()
		if err == nil || !strings.Contains(err.Error(), "DEMO_ON_POSTGRES") || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%v: %v, want a one-line refusal naming DEMO_ON_POSTGRES", e, err)
		}
	}
}

// TestMisspeltBoolean: a boolean setting that is not a boolean is a one-line error naming the
// variable, in demo mode and in production; never read as on or off.
func TestMisspeltBoolean(t *testing.T) {
	for _, k := range []string{"DEMO_LOGIN", "DEMO_ON_POSTGRES"} {
		for _, v := range []string{"nee", "ja", "tru", "yes please", "2"} {
			for _, base := range []map[string]string{{}, production()} {
				e := map[string]string{k: v}
				for bk, bv := range base {
					e[bk] = bv
				}
				err := wire.FromEnv(env(e)).Validate()
				if err == nil {
					t.Errorf("%s=%q accepted", k, v)
					continue
				}
				if msg := err.Error(); !strings.Contains(msg, k) || strings.ContainsAny(msg, "\r\n") {
					t.Errorf("%s=%q: error %q is not one line naming %s", k, v, msg, k)
				}
			}
		}
	}
	for _, v := range []string{"1", "true", "TRUE", "yes", "On", "0", "false", "no", "off"} {
		if err := wire.FromEnv(env(map[string]string{"DEMO_LOGIN": v})).Validate(); err != nil {
			t.Errorf("DEMO_LOGIN=%q refused: %v", v, err)
		}
	}
}
