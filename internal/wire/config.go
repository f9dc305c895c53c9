// Package wire assembles the service from its configuration: storage, use cases, identity,
// the portal and the API on one Echo instance. cmd/inburgering and the end-to-end tests use it.
package wire

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/domain"
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
	DemoOnPostgres   bool // MODE=demo on a PostgreSQL database: an explicit opt-in (DEMO_ON_POSTGRES)
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

	// Keys, tokens and metrics (issue 7).
	PseudonymKey       string // root key of the audit pseudonyms, separate from SessionKey
	OIDCAPIAudience    string // audience of access tokens meant for the API (differs from the client ID)
	OIDCAcceptPlainJWT bool   // also accept plain JWTs for the client ID as access tokens (README: risk)
	MetricsToken       string // when set, /metrics wants "Authorization: Bearer <token>"
	MetricsAddr        string // when set, /metrics is served there and not on ListenAddr

	// E-mail notifications (issue 11): SMTP. SMTPHost empty means no e-mail is sent.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	SMTPTLS      string // starttls (default), tls or none
	// Verification are the periods of the verification of hour declarations (VERIFICATIE_*_DAGEN,
	// verification.go).
	Verification domain.VerificationPeriods

	// badSettings lists the settings FromEnv could not read (a misspelt boolean); Validate refuses them.
	badSettings string
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
	// A boolean is one of the spellings parseBool knows; anything else is a configuration error
	// (Validate names the variable), never silently on or off.
	boolean := func(k string, def bool) bool {
		v, ok := parseBool(get(k, strconv.FormatBool(def)))
		if !ok {
			c.badSettings += fmt.Sprintf("; %s must be true or false, not %q", k, get(k, ""))
		}
		return v
	}
	c.DemoLogin = boolean("DEMO_LOGIN", c.Mode == ModeDemo)
	c.DemoOnPostgres = boolean("DEMO_ON_POSTGRES", false)
	c.PseudonymKey = get("PSEUDONYM_KEY", "")
	c.OIDCAPIAudience = get("OIDC_API_AUDIENCE", "")
	c.MetricsToken = get("METRICS_TOKEN", "")
	c.MetricsAddr = get("METRICS_ADDR", "")
	c.OIDCAcceptPlainJWT = boolean("OIDC_ACCEPT_PLAIN_JWT_ACCESS_TOKENS", false)
	c.SMTPHost = get("SMTP_HOST", "")
	c.SMTPUsername = get("SMTP_USERNAME", "")
	c.SMTPPassword = getenv("SMTP_PASSWORD") // as given: a password may end in a space
	c.SMTPFrom = get("SMTP_FROM", "")
	c.SMTPTLS = strings.ToLower(get("SMTP_TLS", "starttls"))
	defPort := map[string]string{"tls": "465", "none": "25"}[c.SMTPTLS]
	if defPort == "" {
		defPort = "587"
	}
	if port, err := strconv.Atoi(get("SMTP_PORT", defPort)); err == nil && port > 0 && port < 65536 {
		c.SMTPPort = port
	} else if c.SMTPHost != "" {
		c.badSettings += fmt.Sprintf("; SMTP_PORT must be a port number, not %q", get("SMTP_PORT", ""))
	}
	c.Verification = verificationFromEnv(get, &c.badSettings)
	return c
}

// parseBool reads every spelling strconv.ParseBool knows (true, 1, TRUE, …) and yes/no, on/off.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "yes", "on":
		return true, true
	case "no", "off":
		return false, true
	}
	v, err := strconv.ParseBool(s)
	return v, err == nil
}

// DemoOnPostgresWarning is logged at every start of demo mode on PostgreSQL.
const DemoOnPostgresWarning = "demo mode on a PostgreSQL database (DEMO_ON_POSTGRES=yes): passwordless demo logins, staff included, can read every record in this database"

// isPostgres reports whether the database URL names PostgreSQL (not the embedded SQLite).
func (c Config) isPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// Validate refuses configurations that are unsafe; the error is one line saying why.
func (c Config) Validate() error {
	if c.badSettings != "" {
		return errors.New("configuration refused: " + strings.TrimPrefix(c.badSettings, "; "))
	}
	if err := c.validateKeys(); err != nil {
		return err
	}
	switch c.Mode {
	case ModeDemo:
		if c.isPostgres() && !c.DemoOnPostgres {
			return errors.New("demo mode refused on a PostgreSQL database: its passwordless logins could read every record; set DEMO_ON_POSTGRES=yes to allow it")
		}
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
	if len(c.PseudonymKey) < 32 {
		problems = append(problems, "PSEUDONYM_KEY must be set to at least 32 characters")
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
	return c.rootKey(c.SessionKey, "SESSION_KEY", "session.key")
}

// rootKey returns the configured key (setting name) or, in demo mode only, one generated once
// and kept in the data folder under file.
func (c Config) rootKey(configured, name, file string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	if c.Mode != ModeDemo {
		return nil, errors.New(name + " is required")
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, err
	}
	path := c.DataDir + "/" + file
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	key := []byte(randomKey())
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, err
	}
	return key, nil
}

// validateKeys checks the settings of keys, tokens and metrics, in every mode.
func (c Config) validateKeys() error {
	var problems []string
	if c.PseudonymKey != "" && c.PseudonymKey == c.SessionKey {
		problems = append(problems, "PSEUDONYM_KEY must differ from SESSION_KEY")
	}
	if c.OIDCAPIAudience != "" && c.OIDCAPIAudience == c.OIDCClientID {
		problems = append(problems, "OIDC_API_AUDIENCE must differ from OIDC_CLIENT_ID (an ID token is made for the client ID)")
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		problems = append(problems, "METRICS_TOKEN must be at least 32 characters")
	}
	if c.MetricsAddr != "" && c.MetricsAddr == c.ListenAddr {
		problems = append(problems, "METRICS_ADDR must differ from LISTEN_ADDR")
	}
	if c.SMTPHost != "" {
		if c.SMTPFrom == "" {
			problems = append(problems, "SMTP_FROM is required with SMTP_HOST")
		}
		switch c.SMTPTLS {
		case "starttls", "tls":
		case "none":
			if c.Mode == ModeProduction && c.SMTPUsername != "" {
				problems = append(problems, "SMTP_TLS=none would send SMTP_PASSWORD in plain text")
			}
		default:
			problems = append(problems, fmt.Sprintf("SMTP_TLS must be starttls, tls or none, not %q", c.SMTPTLS))
		}
	}
	if len(problems) > 0 {
		return errors.New("configuration refused: " + strings.Join(problems, "; "))
	}
	return nil
}

// pseudonymKey returns the configured audit pseudonym key or, in demo mode only, a key kept in
// the data folder next to the session key. It is separate from the session key, so that the
// session key can be rotated without breaking the audit trail.
func (c Config) pseudonymKey() ([]byte, error) {
	return c.rootKey(c.PseudonymKey, "PSEUDONYM_KEY", "pseudonym.key")
}
