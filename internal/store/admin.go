package store

import "context"

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
