package tracer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

func TestBaggageExtract(t *testing.T) {
	t.Parallel()
	bg := func(vs ...string) []string {
		var kv []string
		for _, v := range vs {
			kv = append(kv, "baggage", v)
		}
		return kv
	}
	items := func(kv ...string) scView {
		v := scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: map[string]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Baggage[kv[i]] = kv[i+1]
		}
		return v
	}
	members := func(n int) (string, []string) {
		var parts, kv []string
		for i := range n {
			parts = append(parts, fmt.Sprintf("k%d=v%d", i, i))
			kv = append(kv, fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i))
		}
		return strings.Join(parts, ","), kv
	}
	m64, kv64 := members(64)
	m65, _ := members(65)
	// 8192 bytes exactly: "a=" + 8190 bytes, then a member that starts
	// beyond the limit and is dropped.
	fill := "a=" + strings.Repeat("x", maxBaggageBytes-2)
	runExtractCases(t, BaggagePropagator{}, SpanContext{}, []extractCase{
		{"spec example", bg("userId=alice,serverNode=DF%2028,isProduction=false"),
			items("userId", "alice", "serverNode", "DF 28", "isProduction", "false"), "ok"},
		{"spec example UTF-8", bg("userId=Am%C3%A9lie"), items("userId", "Amélie"), "ok"},
		{"spec example properties", bg("key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"),
			items("key1", "value1", "key2", "value2", "key3", "value3"), "ok"},
		{"OWS everywhere", bg(" \tk \t= \tv \t; p = q \t,\t j=w "), items("k", "v", "j", "w"), "ok"},
		{"empty value", bg("k="), items("k", ""), "ok"},
		{"empty members", bg(",k=v,,"), items("k", "v"), "ok"},
		{"trailing semicolon", bg("k=v;"), items("k", "v"), "ok"},
		{"token key characters", bg("!#$&'*+-.^_`|~09AZaz=v"), items("!#$&'*+-.^_`|~09AZaz", "v"), "ok"},
		{"encoded key", bg("odd%20key=v"), items("odd key", "v"), "ok"},
		{"key with a lone percent", bg("a%zz=v"), items("a%zz", "v"), "ok"},
		{"invalid UTF-8 replaced", bg("k=a%FFb"), items("k", "a\uFFFDb"), "ok"},
		{"later duplicate wins", bg("k=1,k=2"), items("k", "2"), "ok"},
		{"two headers combined", bg("a=1", "b=2"), items("a", "1", "b", "2"), "ok"},
		{"64 members", bg(m64), items(kv64...), "ok"},
		{"65 members, the last dropped", bg(m65), items(kv64...), "ok"},
		{"8192 bytes", bg(fill), items("a", strings.Repeat("x", maxBaggageBytes-2)), "ok"},
		{"member beyond 8192 bytes dropped", bg(fill + ",b=1"), items("a", strings.Repeat("x", maxBaggageBytes-2)), "ok"},
		{"member crossing 8192 bytes dropped", bg("b=1," + fill), items("b", "1"), "ok"},
		{"malformed member after the limit not read", bg(m65 + ",not a member"), items(kv64...), "ok"},
		{"limit counts across headers", bg("b=1", fill), items("b", "1"), "ok"},
		{"empty header", bg(""), scView{}, "notfound"},
		{"only empty members", bg(" , ,"), scView{}, "notfound"},
		{"first member over the limit", bg("a=" + strings.Repeat("x", maxBaggageBytes)), scView{}, "corrupted"},
		{"oversized without commas", bg(strings.Repeat("\x00", 1<<20)), scView{}, "corrupted"},
		{"no equals", bg("k"), scView{}, "corrupted"},
		{"one bad member spoils the header", bg("a=1,k"), scView{}, "corrupted"},
		{"space in key", bg("a b=1"), scView{}, "corrupted"},
		{"empty key", bg("=1"), scView{}, "corrupted"},
		{"double quote in value", bg(`k="v"`), scView{}, "corrupted"},
		{"backslash in value", bg(`k=a\b`), scView{}, "corrupted"},
		{"space inside value", bg("k=a b"), scView{}, "corrupted"},
		{"short escape", bg("k=a%4"), scView{}, "corrupted"},
		{"bad escape", bg("k=%zz"), scView{}, "corrupted"},
		{"bad property", bg("k=v;p q"), scView{}, "corrupted"},
		{"bad property value", bg("k=v;p=\"q\""), scView{}, "corrupted"},
		{"absent", []string{"traceparent", "x"}, scView{}, "notfound"},
	})
}

func TestBaggageExtractMerges(t *testing.T) {
	t.Parallel()
	start := mustSC(t, specTrace, specSpan, FlagSampled).WithBaggage("a", "old").WithBaggage("b", "kept")
	got, err := BaggagePropagator{}.Extract(headerCarrier("baggage", "a=new,c=3"), start)
	if err != nil {
		t.Fatal(err)
	}
	want := scView{TraceID: specTrace, SpanID: specSpan, Flags: FlagSampled, Baggage: map[string]string{"a": "new", "b": "kept", "c": "3"}}
	if diff := deep.Diff(want, viewOf(got)); diff != "" {
		t.Errorf("extracted (-want +got):\n%s", diff)
	}
	if start.Baggage("a") != "old" {
		t.Errorf("Extract changed its input's baggage: a=%q", start.Baggage("a"))
	}
}

func TestBaggageInject(t *testing.T) {
	t.Parallel()
	withItems := func(kv ...string) SpanContext {
		var sc SpanContext
		for i := 0; i+1 < len(kv); i += 2 {
			sc = sc.WithBaggage(kv[i], kv[i+1])
		}
		return sc
	}
	var many []string
	for i := range 70 {
		many = append(many, fmt.Sprintf("k%02d", i), "v")
	}
	var first64 []string
	for i := range 64 {
		first64 = append(first64, fmt.Sprintf("k%02d=v", i))
	}
	tests := []struct {
		name string
		sc   SpanContext
		want map[string]string
	}{
		{"none", SpanContext{}, map[string]string{}},
		{"sorted, plain", withItems("b", "2", "a", "1"), map[string]string{"baggage": "a=1,b=2"}},
		{"values encoded", withItems("k", "a b,c;d%e\"\\é"), map[string]string{"baggage": "k=a%20b%2Cc%3Bd%25e%22%5C%C3%A9"}},
		{"keys encoded", withItems("odd key", "v", "p%", "w"), map[string]string{"baggage": "odd%20key=v,p%25=w"}},
		{"empty key skipped", withItems("", "v", "k", "w"), map[string]string{"baggage": "k=w"}},
		{"64 members at most", withItems(many...), map[string]string{"baggage": strings.Join(first64, ",")}},
		{"member over the byte limit skipped", withItems("a", strings.Repeat("x", maxBaggageBytes), "b", "1"), map[string]string{"baggage": "b=1"}},
		{"only an oversized member", withItems("a", strings.Repeat("x", maxBaggageBytes)), map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := injected(BaggagePropagator{}, tc.sc)
			if diff := deep.Diff(tc.want, got); diff != "" {
				t.Errorf("injected (-want +got):\n%s", diff)
			}
			if len(got["baggage"]) > maxBaggageBytes {
				t.Errorf("injected %d bytes, more than %d", len(got["baggage"]), maxBaggageBytes)
			}
		})
	}
}
