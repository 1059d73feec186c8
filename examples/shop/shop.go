package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrOutOfStock says the shop cannot fill an order.
var ErrOutOfStock = errors.New("out of stock")

// Order is what a customer buys.
type Order struct {
	ID       int
	Customer string
	Items    []Item
	Address  string
}

// Item is a quantity of one product.
type Item struct {
	Name string
	Qty  int
}

// Shop holds the stock.
type Shop struct {
	stock map[string]int
}

func newShop(stock map[string]int) *Shop { return &Shop{stock: stock} }

// Checkout reserves the order's items, charges the customer and ships it.
//
//trace:span
func (s *Shop) Checkout(ctx context.Context, o Order) error {
	total := 0.0
	for _, it := range o.Items {
		if err := s.reserve(ctx, it.Name, it.Qty); err != nil {
			return err
		}
		total += 2.5 * float64(it.Qty)
	}
	if err := charge(ctx, o.Customer, total); err != nil {
		return err
	}
	return ship(ctx, o.Address)
}

// reserve takes qty of item from the stock.
//
//trace:span tags=item,qty
func (s *Shop) reserve(ctx context.Context, item string, qty int) error {
	time.Sleep(time.Millisecond)
	if s.stock[item] < qty {
		return fmt.Errorf("%s: %w", item, ErrOutOfStock)
	}
	s.stock[item] -= qty
	return nil
}

// charge asks the payment service for the money.
//
//trace:span kind=client tags=customer,amount
func charge(ctx context.Context, customer string, amount float64) error {
	time.Sleep(2 * time.Millisecond)
	return nil
}

// ship sends the parcel, turning a panic in the address check into an error.
//
//trace:span
func ship(ctx context.Context, address string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shipping: %v", r)
		}
	}()
	label := parseAddress(ctx, address)
	time.Sleep(time.Millisecond)
	_ = label
	return nil
}

// parseAddress makes a shipping label; it panics on an empty address.
//
//trace:span
func parseAddress(ctx context.Context, address string) string {
	if strings.TrimSpace(address) == "" {
		panic("empty address")
	}
	return strings.ToUpper(address)
}
