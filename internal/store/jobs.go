package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// SQLDB returns the connection pool, for the job queue (internal/jobs), which shares it.
func (s *Store) SQLDB() *sql.DB { return s.sqlDB }

// SQLTx returns the database/sql transaction that ctx carries (see InTx), or nil outside one.
// The job queue writes its jobs in it, so that they commit or roll back with the use case.
func SQLTx(ctx context.Context) *sql.Tx {
	if g, ok := ctx.Value(txKey{}).(*gorm.DB); ok && g.Statement != nil {
		if tx, ok := g.Statement.ConnPool.(*sql.Tx); ok {
			return tx
		}
	}
	return nil
}
