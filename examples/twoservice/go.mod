module github.com/tracegen/tracegen/examples/twoservice

go 1.26.0

replace (
	github.com/tracegen/tracegen/runtime => ../../runtime
	github.com/tracegen/tracegen/runtime/traceredis => ../../runtime/traceredis
)

require (
	github.com/google/go-cmp v0.7.0
	github.com/jackc/pgx/v5 v5.13.0
	github.com/redis/go-redis/v9 v9.23.0
	github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
	github.com/tracegen/tracegen/runtime/traceredis v0.0.0-00010101000000-000000000000
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
