// Package migrations embeds the versioned, forward-only SQL migrations, one folder per dialect.
package migrations

import "embed"

// SQLite holds the migrations for the embedded SQLite database.
//
//go:embed sqlite/*.sql
var SQLite embed.FS

// Postgres holds the migrations for PostgreSQL.
//
//go:embed postgres/*.sql
var Postgres embed.FS
