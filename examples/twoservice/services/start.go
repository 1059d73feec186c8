package services

import (
	"context"
	"net/http"
	"net/http/httptest"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver
	"github.com/redis/go-redis/v9"

	"github.com/tracegen/tracegen/runtime/tracehttp"
	"github.com/tracegen/tracegen/runtime/traceredis"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

// Running is both services serving on loopback.
type Running struct {
	Orders, Payments *httptest.Server
	close            []func() error
}

// Start starts both services on loopback, traced by the global tracer,
// with PostgreSQL at dsn and Redis at redisAddr, whose connections are
// opened (and the schema made) before tracing begins.
func Start(ctx context.Context, dsn, redisAddr string) (*Running, error) {
	db, err := tracesql.Open("pgx", dsn, tracesql.WithRequireParent())
	if err != nil {
		return nil, err
	}
	if err := CreateSchema(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	if err := rdb.Ping(ctx).Err(); err != nil {
		db.Close()
		return nil, err
	}
	rdb.AddHook(traceredis.NewHook(traceredis.WithAddr(redisAddr, 0)))
	payments := httptest.NewServer((&Payments{Limit: 100000}).Handler())
	orders := httptest.NewServer((&Orders{DB: db, Cache: rdb, Payments: payments.URL,
		Client: &http.Client{Transport: tracehttp.Transport(nil)}}).Handler())
	return &Running{Orders: orders, Payments: payments, close: []func() error{
		func() error { orders.Close(); return nil },
		func() error { payments.Close(); return nil },
		rdb.Close, db.Close,
	}}, nil
}

// Close stops both services and closes their connections.
func (r *Running) Close() error {
	var first error
	for _, c := range r.close {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
