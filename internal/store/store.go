// Package store implements the app's storage ports with gorm on SQLite (embedded default)
// and PostgreSQL (production). Schema changes are versioned SQL migrations per dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/inburgering/portal/internal/store/migrations"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the gorm-backed storage of the service.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	goose   *goose.Provider
}

// Open connects to databaseURL, or, when it is empty, to an SQLite file in dataDir (created when missing).
// It does not migrate; call Migrate.
func Open(databaseURL, dataDir string) (*Store, error) {
	cfg := &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }}
	var (
		db      *gorm.DB
		err     error
		dialect Dialect
		fsys    fs.FS
		gd      goose.Dialect
	)
	switch {
	case databaseURL == "" || strings.HasPrefix(databaseURL, "sqlite:"):
		path := strings.TrimPrefix(databaseURL, "sqlite:")
		if path == "" {
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
			path = filepath.Join(dataDir, "inburgering.db")
		}
		dsn := path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		db, err = gorm.Open(sqlite.Open(dsn), cfg)
		dialect, gd = SQLite, goose.DialectSQLite3
		fsys, _ = fs.Sub(migrations.SQLite, "sqlite")
	case strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://"):
		db, err = gorm.Open(postgres.Open(databaseURL), cfg)
		dialect, gd = Postgres, goose.DialectPostgres
		fsys, _ = fs.Sub(migrations.Postgres, "postgres")
	default:
		return nil, errors.New("DATABASE_URL must be a postgres:// URL or sqlite:<path>")
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// One writer at a time keeps SQLite free of "database is locked" under concurrent requests.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	opts := []goose.ProviderOption{goose.WithLogger(goose.NopLogger())}
	if dialect == Postgres {
		// Several instances may start at once: an advisory lock lets one migrate at a time.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return &Store{db: db, sqlDB: sqlDB, dialect: dialect, goose: p}, nil
}

// Dialect reports which database engine the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the connection pool.
func (s *Store) Close() error { return s.sqlDB.Close() }

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	res, err := s.goose.Up(ctx)
	for _, r := range res {
		slog.DebugContext(ctx, "migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ready reports an error when the database is unreachable or the schema is behind the binary.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	pending, err := s.goose.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if pending {
		return errors.New("schema is behind: migrations pending")
	}
	return nil
}

// Tx runs fn in one transaction: everything fn writes is committed together or not at all.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Store{db: g, sqlDB: s.sqlDB, dialect: s.dialect, goose: s.goose})
	})
}

func (s *Store) q(ctx context.Context) *gorm.DB { return s.conn(ctx).WithContext(ctx) }
