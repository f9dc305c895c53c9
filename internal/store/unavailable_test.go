package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inburgering/portal/internal/domain"
)

// TestUnavailable: the drivers' outage errors become domain.KindUnavailable (a 503 with
// Retry-After in both faces); other database errors stay internal.
func TestUnavailable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want domain.Kind
	}{
		{"network down", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, domain.KindUnavailable},
		{"pgx connect error", fmt.Errorf("open: %w", &pgconn.ConnectError{}), domain.KindUnavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, domain.KindUnavailable},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, domain.KindUnavailable},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, domain.KindUnavailable},
		{"connection exception", &pgconn.PgError{Code: "08006"}, domain.KindUnavailable},
		{"bad conn", fmt.Errorf("query: %w", driver.ErrBadConn), domain.KindUnavailable},
		{"conn done", sql.ErrConnDone, domain.KindUnavailable},
		{"undefined table", &pgconn.PgError{Code: "42P01"}, domain.KindInternal},
		{"invalid byte sequence", &pgconn.PgError{Code: "22021"}, domain.KindInternal},
		{"plain error", errors.New("boom"), domain.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.ErrorKind(wrap(tt.err, "")); got != tt.want {
				t.Errorf("wrap(%v) kind %s, want %s", tt.err, got, tt.want)
			}
			if Unavailable(tt.err) != (tt.want == domain.KindUnavailable) {
				t.Errorf("Unavailable(%v) = %v", tt.err, !(tt.want == domain.KindUnavailable))
			}
		})
	}
}
