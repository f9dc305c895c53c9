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
	DemoOnPostgres   bool // MODE=demo on a PostgreSQL database: an explicit opt-in (DEMO_ON_POSTGRES)
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCBSNClaim     string
	OIDCRolesClaim   string
	SessionKey       string
	LogLevel         string

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
