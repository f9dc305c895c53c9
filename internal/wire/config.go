// Package wire assembles the service from its configuration: storage, use cases, identity,
// the portal and the API on one Echo instance. cmd/inburgering and the end-to-end tests use it.
package wire

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Mode is demo (embedded default, seeded personas, demo login) or production.
type Mode string

const (
	ModeDemo       Mode = "demo"
	ModeProduction Mode = "production"
)

// Config is every setting, read from the environment (README.md lists them with defaults).
type Config struct {
	DatabaseURL      string // empty: SQLite in DataDir
	DataDir          string
	ListenAddr       string
	BaseURL          string
	Mode             Mode
	DemoLogin        bool
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCBSNClaim     string
	OIDCRolesClaim   string
	SessionKey       string
	LogLevel         string
	// RateLimits are the RATE_LIMIT_* settings as given; empty ones take their default.
	RateLimits RateLimits
	// TrustedProxies lists the proxies (CIDRs) whose X-Forwarded-For names the client, for the
	// per-IP rate limits; empty: the connection's address is the client.
	TrustedProxies string
}

// FromEnv reads the configuration from environment variables, applying the defaults.
func FromEnv(getenv func(string) string) Config {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DatabaseURL:      get("DATABASE_URL", ""),
		DataDir:          get("DATA_DIR", "data"),
		ListenAddr:       get("LISTEN_ADDR", ":8080"),
		BaseURL:          strings.TrimRight(get("BASE_URL", "http://localhost:8080"), "/"),
		OIDCIssuer:       get("OIDC_ISSUER", ""),
		OIDCClientID:     get("OIDC_CLIENT_ID", ""),
		OIDCClientSecret: get("OIDC_CLIENT_SECRET", ""),
		OIDCBSNClaim:     get("OIDC_BSN_CLAIM", "bsn"),
		OIDCRolesClaim:   get("OIDC_ROLES_CLAIM", "roles"),
		SessionKey:       get("SESSION_KEY", ""),
		LogLevel:         get("LOG_LEVEL", "info"),
		RateLimits:       rateLimitsFromEnv(get),
		TrustedProxies:   get("TRUSTED_PROXIES", ""),
	}
	def := ModeDemo
	if c.DatabaseURL != "" {
		def = ModeProduction
	}
	c.Mode = Mode(get("MODE", string(def)))
	// Any spelling strconv.ParseBool knows (true, 1, TRUE, …); anything else counts as on, so a typo
	// can never quietly switch the demo login off in demo or on in production without Validate seeing it.
	demo, err := strconv.ParseBool(get("DEMO_LOGIN", strconv.FormatBool(c.Mode == ModeDemo)))
	c.DemoLogin = demo || err != nil
	return c
}

// Validate refuses configurations that are unsafe; the error is one line saying why.
func (c Config) Validate() error {
	switch c.Mode {
	case ModeDemo:
		return nil
	case ModeProduction:
	default:
		return fmt.Errorf("MODE must be demo or production, not %q", c.Mode)
	}
	var problems []string
	if c.DemoLogin {
		problems = append(problems, "the demo login is enabled (set DEMO_LOGIN=false)")
	}
	if c.OIDCIssuer == "" || c.OIDCClientID == "" || c.OIDCClientSecret == "" {
		problems = append(problems, "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required")
	}
	if len(c.SessionKey) < 32 {
		problems = append(problems, "SESSION_KEY must be set to at least 32 characters")
	}
	if c.DatabaseURL == "" {
		problems = append(problems, "DATABASE_URL is required (PostgreSQL)")
	}
	if !strings.HasPrefix(c.BaseURL, "https://") {
		problems = append(problems, "BASE_URL must be https")
	}
	if len(problems) > 0 {
		return errors.New("production mode refused: " + strings.Join(problems, "; "))
	}
	return nil
}

// sessionKey returns the configured key or, in demo mode only, a key kept in the data folder
// so that sessions survive a restart.
func (c Config) sessionKey() ([]byte, error) {
	if c.SessionKey != "" {
		return []byte(c.SessionKey), nil
	}
	if c.Mode != ModeDemo {
		return nil, errors.New("SESSION_KEY is required")
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, err
	}
	path := c.DataDir + "/session.key"
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	key := []byte(randomKey())
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, err
	}
	return key, nil
}
