package store

import (
	"context"

	"github.com/inburgering/portal/internal/app"
)

// Exec runs a raw statement. It exists for operations tooling and for tests that prove the
// schema's own guards (constraints, triggers); application code uses the typed methods.
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	return s.q(ctx).Exec(sql, args...).Error
}

// AuditCount returns the number of audit log entries.
func (s *Store) AuditCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&auditRow{}).Count(&n).Error
	return n, err
}

// AuditEntries returns the audit log, oldest first, for operations tooling and tests.
func (s *Store) AuditEntries(ctx context.Context) ([]app.AuditEntry, error) {
	var rows []auditRow
	if err := s.q(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	out := make([]app.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = app.AuditEntry{At: r.Tijdstip.UTC(), Actor: r.Actor, Action: r.Actie, Subject: r.Subject, Details: r.Details}
	}
	return out, nil
}
