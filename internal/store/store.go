// Package store implements the app's storage ports with gorm on SQLite (embedded default)
// and PostgreSQL (production). Schema changes are versioned SQL migrations per dialect.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
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
	db    *gorm.DB
	sqlDB *sql.DB
	// On SQLite, readDB is a pool of reader connections (query_only) beside db's one writer
	// connection: in WAL mode readers do not wait for the writer, nor for each other. InReadTx
	// runs on it. On PostgreSQL it is db itself.
	readDB  *gorm.DB
	readSQL *sql.DB
	// On PostgreSQL, countDB and answerDB are small pools of their own, committing without
	// waiting for the disk (synchronous_commit off): countDB for the rate limiter's counters, so
	// that they never wait behind the requests filling db's pool (a flood made the limiter time
	// out and let requests through uncounted); answerDB for the Idempotency-Key answers of
	// failures, which changed nothing (see StoreIdempotencyAnswer). On SQLite both are db.
	countDB, answerDB *gorm.DB
	dialect           Dialect
	goose             *goose.Provider
	// prepared holds the hot reads that bypass gorm, prepared on SQLite (see query).
	prepared preparedReads
	// observers are OnStatement's callbacks, told about the statements run outside gorm too.
	observers atomic.Pointer[[]func(sql string)]
}

// Open connects to databaseURL, or, when it is empty, to an SQLite file in dataDir (created when missing).
// It does not migrate; call Migrate.
func Open(databaseURL, dataDir string) (*Store, error) {
	newConfig := func() *gorm.Config {
		return &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }}
	}
	cfg := newConfig()
	var (
		db      *gorm.DB
		readDB  *gorm.DB
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
		// _txlock=immediate: a write transaction takes the write lock at its BEGIN (waiting up to
		// busy_timeout), not at its first write, which another process's writer may have made
		// impossible meanwhile (SQLITE_BUSY without waiting, e.g. two instances on one file).
		dsn := path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		// SQLite compiles every statement again unless it is prepared: gorm keeps the prepared
		// statements, per SQL text (bounded, least recently used out). PostgreSQL needs no such
		// cache here: pgx prepares and caches statements per connection itself.
		cfg.PrepareStmt, cfg.PrepareStmtMaxSize, cfg.PrepareStmtTTL = true, 512, time.Hour
		db, err = gorm.Open(sqlite.Open(dsn), cfg)
		if err == nil {
			// The readers: the same file, never writing (query_only), the same statement cache.
			rcfg := newConfig()
			rcfg.PrepareStmt, rcfg.PrepareStmtMaxSize, rcfg.PrepareStmtTTL = true, 512, time.Hour
			readDSN := path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
			readDB, err = gorm.Open(sqlite.Open(readDSN), rcfg)
		}
		dialect, gd = SQLite, goose.DialectSQLite3
		fsys, _ = fs.Sub(migrations.SQLite, "sqlite")
	case strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://"):
		var pool *sql.DB
		pool, err = openPostgres(databaseURL)
		if err == nil {
			db, err = gorm.Open(postgres.New(postgres.Config{Conn: pool}), cfg)
		}
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
	readSQL := sqlDB
	if dialect == SQLite {
		// One writer at a time keeps SQLite free of "database is locked" under concurrent requests.
		sqlDB.SetMaxOpenConns(1)
		if readSQL, err = readDB.DB(); err != nil {
			return nil, err
		}
		readSQL.SetMaxOpenConns(sqliteReaders)
		readSQL.SetMaxIdleConns(sqliteReaders)
	} else {
		readDB = db
		// As many idle connections as open ones: database/sql keeps only two idle by default, so
		// under load every connection given back beyond two was closed and the next request
		// opened a new one (a PostgreSQL backend started for a single statement).
		sqlDB.SetMaxOpenConns(postgresConns)
		sqlDB.SetMaxIdleConns(postgresConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	countDB, answerDB := db, db
	if dialect == Postgres {
		if countDB, err = openAsyncPostgres(databaseURL, 8, newConfig()); err == nil {
			answerDB, err = openAsyncPostgres(databaseURL, 4, newConfig())
		}
		if err != nil {
			return nil, fmt.Errorf("open %s database: %w", dialect, err)
		}
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
	return &Store{db: db, sqlDB: sqlDB, readDB: readDB, readSQL: readSQL, countDB: countDB, answerDB: answerDB, dialect: dialect, goose: p}, nil
}

// Dialect reports which database engine the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// sqliteReaders is the number of SQLite reader connections (WAL: they read while one writes).
const sqliteReaders = 4

// postgresConns is the size of the main PostgreSQL pool, open and idle alike.
const postgresConns = 20

// Close closes the connection pools.
func (s *Store) Close() error {
	err := errors.Join(s.prepared.close(), s.sqlDB.Close())
	if s.readSQL != s.sqlDB {
		err = errors.Join(err, s.readSQL.Close())
	}
	for _, g := range []*gorm.DB{s.countDB, s.answerDB} {
		if g != nil && g != s.db {
			if d, derr := g.DB(); derr == nil {
				err = errors.Join(err, d.Close())
			}
		}
	}
	return err
}

// InReadTx implements app.ReadTransactor: the reads fn makes with its ctx run in one read-only
// transaction, one consistent snapshot (PostgreSQL: REPEATABLE READ READ ONLY; SQLite: a
// transaction on a reader connection, beside the writer). Within a transaction already open it
// just runs fn there.
func (s *Store) InReadTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.readDB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}, opts)
}

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

func (s *Store) q(ctx context.Context) *gorm.DB { return s.conn(ctx).WithContext(ctx) }

// openPostgres opens the PostgreSQL pool through pgx's database/sql driver, wrapped so that a read
// on a pooled connection broken by a database restart is retried on another connection.
func openPostgres(databaseURL string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(retryConnector{stdlib.GetConnector(*cfg)}), nil
}

// openAsyncPostgres opens a pool of at most n connections whose commits do not wait for the disk
// (synchronous_commit off: a crash may lose the last commits, never corrupt anything).
func openAsyncPostgres(databaseURL string, n int, cfg *gorm.Config) (*gorm.DB, error) {
	pc, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, err
	}
	if pc.RuntimeParams == nil {
		pc.RuntimeParams = map[string]string{}
	}
	pc.RuntimeParams["synchronous_commit"] = "off"
	pool := sql.OpenDB(retryConnector{stdlib.GetConnector(*pc)})
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: pool}), cfg)
	if err != nil {
		pool.Close()
	}
	return db, err
}

// retryConnector hands out retryConns.
type retryConnector struct{ driver.Connector }

func (r retryConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := r.Connector.Connect(ctx)
	if sc, ok := c.(*stdlib.Conn); ok && err == nil {
		return retryConn{sc}, nil
	}
	return c, err
}

// retryConn is pgx's connection, except that it reports a connection that broke under a read
// (SELECT) or a BEGIN as driver.ErrBadConn, so that database/sql runs it again on another
// connection. pgx does so itself only when nothing was sent yet (pgconn.SafeToRetry), and pings an
// idle connection only after a second: a pooled connection that a database restart closed a
// moment ago fails its next query with 57P01 or an EOF. A read changes nothing, and neither does a
// BEGIN, so running either again is safe; a write that may have reached the server is not retried.
type retryConn struct{ *stdlib.Conn }

func (c retryConn) broke(ctx context.Context, err error) error {
	if err != nil && ctx.Err() == nil && c.Conn.Conn().IsClosed() && !errors.Is(err, driver.ErrBadConn) {
		return fmt.Errorf("%w: %w", driver.ErrBadConn, err)
	}
	return err
}

func (c retryConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, query, args)
	if err != nil && isRead(query) {
		return nil, c.broke(ctx, err)
	}
	return rows, err
}

func (c retryConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, c.broke(ctx, err)
	}
	return tx, nil
}

// isRead reports whether query only reads.
func isRead(query string) bool {
	q := strings.TrimSpace(query)
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}

// Unavailable reports whether err says the database cannot be reached right now (down,
// restarting or refusing connections), judged by the drivers' error types: the network
// (*net.OpError), pgx's connect error, PostgreSQL's connection-exception class (08) and shutdown
// codes (57P01–57P03), and database/sql's broken or closed connection.
func Unavailable(err error) bool {
	var (
		op *net.OpError
		ce *pgconn.ConnectError
		pe *pgconn.PgError
	)
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	case errors.As(err, &ce), errors.As(err, &op):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}

// OnStatement calls fn with the SQL of every statement the store runs from now on (after it ran),
// for tests and benchmarks that count queries and check that a page reads without writing.
func (s *Store) OnStatement(fn func(sql string)) error {
	for {
		old := s.observers.Load()
		var fns []func(string)
		if old != nil {
			fns = append(fns, *old...)
		}
		fns = append(fns, fn)
		if s.observers.CompareAndSwap(old, &fns) {
			break
		}
	}
	if err := onStatement(s.db, fn); err != nil {
		return err
	}
	if s.readDB != s.db {
		return onStatement(s.readDB, fn)
	}
	return nil
}

func onStatement(db *gorm.DB, fn func(sql string)) error {
	cb := db.Callback()
	after := func(db *gorm.DB) { fn(db.Statement.SQL.String()) }
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("store:observe_create", after),
		cb.Query().After("gorm:query").Register("store:observe_query", after),
		cb.Update().After("gorm:update").Register("store:observe_update", after),
		cb.Delete().After("gorm:delete").Register("store:observe_delete", after),
		cb.Row().After("gorm:row").Register("store:observe_row", after),
		cb.Raw().After("gorm:raw").Register("store:observe_raw", after),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
