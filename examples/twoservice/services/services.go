// Package services is the two-service example: an orders service and a
// payments service, each an http.Handler behind tracehttp.Middleware. An
// order (POST /orders/{id}) reserves its stock in Redis, asks payments to
// charge the card over HTTP (through tracehttp.Transport, which carries the
// trace to the other service), and stores the order in PostgreSQL; payments
// authorizes the amount. The business functions are traced with
// //trace:span directives, and their instrumentation is committed: run
// tracegen ./examples/twoservice/... after changing a directive.
package services

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tracegen/tracegen/runtime/tracehttp"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// ErrDeclined is the payments service's answer to an amount over its limit.
var ErrDeclined = errors.New("payment declined")

// Orders is the orders service.
type Orders struct {
	DB       *sql.DB
	Cache    *redis.Client
	Payments string       // the payments service's base URL
	Client   *http.Client // whose Transport is tracehttp.Transport
}

// Handler serves POST /orders/{id}?cents=N.
func (o *Orders) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		cents, _ := strconv.Atoi(r.URL.Query().Get("cents"))
		switch err := o.PlaceOrder(r.Context(), r.PathValue("id"), cents); {
		case errors.Is(err, ErrDeclined):
			http.Error(w, err.Error(), http.StatusPaymentRequired)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusCreated)
		}
	})
	return tracehttp.Middleware(mux)
}

// PlaceOrder reserves, charges and stores an order.
//
//trace:span tags=id,cents
func (o *Orders) PlaceOrder(ctx context.Context, id string, cents int) (tracegenErr error) {
	defer tracegen.Start(&ctx, "services.(*Orders).PlaceOrder").TagString("id", id).TagInt("cents", int64(cents)).End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	if err := o.reserve(ctx, id); err != nil {
		return err
	}
	if err := o.charge(ctx, cents); err != nil {
		return err
	}
	return o.save(ctx, id)
}

// reserve holds the order's stock for a minute; the reservation's token
// is a value, never recorded.
//
//trace:span
func (o *Orders) reserve(ctx context.Context, id string) (err error) {
	defer tracegen.Start(&ctx, "services.(*Orders).reserve").End(&err) //tracegen:generated err=unnamed
	return o.Cache.Set(ctx, "reservation:"+id, "rsv-token-"+id+"-s3cr3t", time.Minute).Err()
}

// charge asks the payments service to charge the card.
//
//trace:span
func (o *Orders) charge(ctx context.Context, cents int) (tracegenErr error) {
	defer tracegen.Start(&ctx, "services.(*Orders).charge").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	url := fmt.Sprintf("%s/charge?cents=%d&card=4111111111111111", o.Payments, cents)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusPaymentRequired:
		return ErrDeclined
	}
	return fmt.Errorf("payments: %s", resp.Status)
}

// save stores the order.
//
//trace:span
func (o *Orders) save(ctx context.Context, id string) (tracegenErr error) {
	defer tracegen.Start(&ctx, "services.(*Orders).save").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	_, err := o.DB.ExecContext(ctx, "INSERT INTO example_orders (id, status) VALUES ($1, 'paid') ON CONFLICT (id) DO UPDATE SET status = 'paid'", id)
	return err
}

// CreateSchema creates the orders table if it is missing.
func CreateSchema(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS example_orders (id text PRIMARY KEY, status text NOT NULL)")
	return err
}

// Payments is the payments service, which declines amounts over Limit.
type Payments struct{ Limit int }

// Handler serves POST /charge?cents=N.
func (p *Payments) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /charge", func(w http.ResponseWriter, r *http.Request) {
		cents, _ := strconv.Atoi(r.URL.Query().Get("cents"))
		if err := p.Authorize(r.Context(), cents); err != nil {
			http.Error(w, err.Error(), http.StatusPaymentRequired)
			return
		}
		w.Write([]byte("charged"))
	})
	return tracehttp.Middleware(mux)
}

// Authorize decides on an amount.
//
//trace:span tags=cents
func (p *Payments) Authorize(ctx context.Context, cents int) (err error) {
	defer tracegen.Start(&ctx, "services.(*Payments).Authorize").TagInt("cents", int64(cents)).End(&err) //tracegen:generated err=unnamed
	if cents > p.Limit {
		return ErrDeclined
	}
	return nil
}
