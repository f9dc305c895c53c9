package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// SQLDB returns the connection pool, for the job queue (internal/jobs), which shares it.
func (s *Store) SQLDB() *sql.DB { return s.sqlDB }

// SQLTx returns the database/sql transaction that ctx carries (see InTx), or nil outside one.
// The job queue writes its jobs in it, so that they commit or roll back with the use case. With
// prepared statements on (gorm's PrepareStmt), gorm wraps the transaction; it is unwrapped here.
func SQLTx(ctx context.Context) *sql.Tx {
	if g, ok := ctx.Value(txKey{}).(*gorm.DB); ok && g.Statement != nil {
		switch p := g.Statement.ConnPool.(type) {
		case *sql.Tx:
			return p
		case *gorm.PreparedStmtTX:
			if tx, ok := p.Tx.(*sql.Tx); ok {
				return tx
			}
		}
	}
	return nil
}
