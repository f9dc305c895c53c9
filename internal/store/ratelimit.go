package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// CountRequests counts one request against each key in the window given for it ({start, end} in
// Unix seconds) and returns each key's count in that window; see AddRequests.
func (s *Store) CountRequests(ctx context.Context, windows map[string][2]int64) (map[string]int64, error) {
	adds := make(map[string][3]int64, len(windows))
	for k, w := range windows {
		adds[k] = [3]int64{w[0], w[1], 1}
	}
	return s.AddRequests(ctx, adds)
}

// AddRequests adds n requests to each key in the window given for it ({start, end, n}, the window
// in Unix seconds, n ≥ 1) and returns each key's count in that window, in one atomic statement for
// all keys: an INSERT … ON CONFLICT … DO UPDATE … RETURNING, the same on SQLite and PostgreSQL. A
// key whose stored window is older starts again at n; a stored window newer than the one given (the
// clock of another instance runs ahead) is kept and counted, so instances never move a window back.
// Keys are HMACs (64 hex characters), never a raw IP address or token.
func (s *Store) AddRequests(ctx context.Context, windows map[string][3]int64) (map[string]int64, error) {
	if len(windows) == 0 {
		return map[string]int64{}, nil
	}
	keys := make([]string, 0, len(windows))
	for k := range windows {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a fixed order: two statements never lock the same rows in opposite orders
	var sql strings.Builder
	sql.WriteString("INSERT INTO rate_limits (sleutel, venster, aantal, verloopt_op) VALUES ")
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("(?, ?, ?, ?)")
		args = append(args, k, windows[k][0], max(1, windows[k][2]), windows[k][1])
	}
	sql.WriteString(` ON CONFLICT (sleutel) DO UPDATE SET
		aantal = CASE WHEN excluded.venster > rate_limits.venster THEN excluded.aantal ELSE rate_limits.aantal + excluded.aantal END,
		verloopt_op = CASE WHEN excluded.venster > rate_limits.venster THEN excluded.verloopt_op ELSE rate_limits.verloopt_op END,
		venster = CASE WHEN excluded.venster > rate_limits.venster THEN excluded.venster ELSE rate_limits.venster END
		RETURNING sleutel, aantal`)
	rows, err := s.counts(ctx).Raw(sql.String(), args...).Rows()
	if err != nil {
		return nil, wrap(err, "")
	}
	defer rows.Close()
	out := make(map[string]int64, len(keys))
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, wrap(err, "")
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "")
	}
	if len(out) != len(keys) {
		return nil, wrap(fmt.Errorf("rate limits: %d counts for %d keys", len(out), len(keys)), "")
	}
	return out, nil
}

// SweepRequestCounts deletes the counters whose window ended at or before now (Unix seconds) and
// reports how many it deleted.
func (s *Store) SweepRequestCounts(ctx context.Context, now int64) (int64, error) {
	res := s.counts(ctx).Exec("DELETE FROM rate_limits WHERE verloopt_op <= ?", now)
	return res.RowsAffected, wrap(res.Error, "")
}

// counts is where the counters are written: ctx's transaction, else the counters' own pool
// (countDB), so that a flood of requests holding every connection of the main pool does not
// starve the limiter.
func (s *Store) counts(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	if s.countDB == nil {
		return s.q(ctx)
	}
	return s.countDB.WithContext(ctx)
}
