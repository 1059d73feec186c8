package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// allVars are cleared before each case so the machine's environment does not
// leak in.
var allVars = []string{
	EnvServiceName, EnvResourceAttributes, EnvTracesExporter, EnvSampler, EnvSamplerArg, EnvPropagators,
	EnvZipkinEndpoint, EnvSDKDisabled, EnvConsoleFile,
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
	"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
	"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
	"OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
	"OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
	"OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_EXPORT_TIMEOUT", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
}

func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range allVars {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

func defaultConfig() Config {
	return Config{
		ServiceName:    "unknown_service:" + filepath.Base(os.Args[0]),
		Exporters:      []string{"console"},
		OTLP:           OTLPConfig{Protocol: "http/protobuf", Endpoint: "http://localhost:4318/v1/traces", Timeout: 10 * time.Second},
		ZipkinEndpoint: DefaultZipkinEndpoint,
		Sampler:        "parentbased_always_on",
		SamplerArg:     1,
		Propagators:    []string{"tracecontext", "baggage"},
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		change func(c *Config)
	}{
		{"defaults", nil, func(c *Config) {}},
		{"service name", map[string]string{EnvServiceName: " shop "}, func(c *Config) { c.ServiceName = "shop" }},
		{"resource attributes percent-decoded", map[string]string{EnvResourceAttributes: "deployment.environment=prod, team=a%20b%2Cc,empty="},
			func(c *Config) {
				c.ResourceAttributes = []Attribute{{"deployment.environment", "prod"}, {"team", "a b,c"}, {"empty", ""}}
			}},
		{"service.name from resource attributes", map[string]string{EnvResourceAttributes: "service.name=cart,k=v"},
			func(c *Config) { c.ServiceName = "cart"; c.ResourceAttributes = []Attribute{{"k", "v"}} }},
		{"OTEL_SERVICE_NAME wins over service.name", map[string]string{EnvServiceName: "shop", EnvResourceAttributes: "service.name=cart"},
			func(c *Config) { c.ServiceName = "shop" }},
		{"exporters list", map[string]string{EnvTracesExporter: "otlp, Zipkin,console,otlp,tree"},
			func(c *Config) { c.Exporters = []string{"otlp", "zipkin", "console", "tree"} }},
		{"exporter none", map[string]string{EnvTracesExporter: "none"}, func(c *Config) { c.Exporters = nil }},
		{"console file", map[string]string{EnvConsoleFile: "/tmp/spans.jsonl"}, func(c *Config) { c.ConsoleFile = "/tmp/spans.jsonl" }},
		{"generic endpoint gets /v1/traces", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"},
			func(c *Config) { c.OTLP.Endpoint = "http://collector:4318/v1/traces" }},
		{"generic endpoint with slash and path", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://gw.example/otlp/"},
			func(c *Config) { c.OTLP.Endpoint = "https://gw.example/otlp/v1/traces" }},
		{"signal endpoint as is", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/custom", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318"},
			func(c *Config) { c.OTLP.Endpoint = "http://collector:4318/custom" }},
		{"grpc default endpoint", map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			func(c *Config) { c.OTLP.Protocol = "grpc"; c.OTLP.Endpoint = "http://localhost:4317" }},
		{"grpc generic endpoint without path", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"},
			func(c *Config) { c.OTLP.Protocol = "grpc"; c.OTLP.Endpoint = "http://collector:4317" }},
		{"headers", map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20abc,X-Tenant=t1"},
			func(c *Config) { c.OTLP.Headers = map[string]string{"Authorization": "Bearer abc", "X-Tenant": "t1"} }},
		{"signal headers win", map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "a=1", "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "b=2"},
			func(c *Config) { c.OTLP.Headers = map[string]string{"b": "2"} }},
		{"gzip", map[string]string{"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"}, func(c *Config) { c.OTLP.Gzip = true }},
		{"compression none", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "none", "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"}, func(c *Config) {}},
		{"timeout", map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "2500"}, func(c *Config) { c.OTLP.Timeout = 2500 * time.Millisecond }},
		{"signal timeout", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "100", "OTEL_EXPORTER_OTLP_TIMEOUT": "5000"}, func(c *Config) { c.OTLP.Timeout = 100 * time.Millisecond }},
		{"zipkin endpoint", map[string]string{EnvZipkinEndpoint: "http://zipkin:9411/api/v2/spans"}, func(c *Config) { c.ZipkinEndpoint = "http://zipkin:9411/api/v2/spans" }},
		{"sampler always_off", map[string]string{EnvSampler: "always_off"}, func(c *Config) { c.Sampler = "always_off" }},
		{"sampler arg ignored for always_on", map[string]string{EnvSampler: "always_on", EnvSamplerArg: "junk"}, func(c *Config) { c.Sampler = "always_on" }},
		{"traceidratio", map[string]string{EnvSampler: "traceidratio", EnvSamplerArg: "0.25"}, func(c *Config) { c.Sampler = "traceidratio"; c.SamplerArg = 0.25 }},
		{"parentbased_traceidratio default arg", map[string]string{EnvSampler: "parentbased_traceidratio"}, func(c *Config) { c.Sampler = "parentbased_traceidratio" }},
		{"parentbased_always_off", map[string]string{EnvSampler: "ParentBased_Always_Off"}, func(c *Config) { c.Sampler = "parentbased_always_off" }},
		{"propagators", map[string]string{EnvPropagators: "b3,jaeger"}, func(c *Config) { c.Propagators = []string{"b3", "jaeger"} }},
		{"propagators none", map[string]string{EnvPropagators: "none"}, func(c *Config) { c.Propagators = nil }},
		{"disabled", map[string]string{EnvSDKDisabled: "true"}, func(c *Config) { c.Disabled = true }},
		{"batch processor", map[string]string{"OTEL_BSP_SCHEDULE_DELAY": "200", "OTEL_BSP_EXPORT_TIMEOUT": "3000", "OTEL_BSP_MAX_QUEUE_SIZE": "4096", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "256"},
			func(c *Config) {
				c.Batch = BatchConfig{ScheduleDelay: 200 * time.Millisecond, ExportTimeout: 3 * time.Second, MaxQueueSize: 4096, MaxExportBatchSize: 256}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env)
			want := defaultConfig()
			tc.change(&want)
			got, err := ConfigFromEnv(nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigFromEnvErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"unknown exporter", map[string]string{EnvTracesExporter: "otlp,jaeger"},
			[]string{`OTEL_TRACES_EXPORTER="otlp,jaeger": unknown exporter "jaeger" (want otlp, zipkin, console, tree or none)`}},
		{"none combined", map[string]string{EnvTracesExporter: "none,otlp"},
			[]string{`OTEL_TRACES_EXPORTER="none,otlp": "none" cannot be combined with other values`}},
		{"empty list entry", map[string]string{EnvTracesExporter: "otlp,,zipkin"},
			[]string{`OTEL_TRACES_EXPORTER="otlp,,zipkin": empty entry in the list`}},
		{"bad resource attribute", map[string]string{EnvResourceAttributes: "a=1,novalue"},
			[]string{`OTEL_RESOURCE_ATTRIBUTES="a=1,novalue": entry "novalue" is not key=value`}},
		{"bad percent encoding", map[string]string{EnvResourceAttributes: "a=%zz"},
			[]string{`OTEL_RESOURCE_ATTRIBUTES="a=%zz": value of "a": invalid URL escape "%zz"`}},
		{"unknown sampler", map[string]string{EnvSampler: "sometimes"},
			[]string{`OTEL_TRACES_SAMPLER="sometimes": unknown sampler`}},
		{"ratio out of range", map[string]string{EnvSampler: "traceidratio", EnvSamplerArg: "1.5"},
			[]string{`OTEL_TRACES_SAMPLER_ARG="1.5": want a ratio between 0 and 1 for sampler traceidratio`}},
		{"ratio not a number", map[string]string{EnvSampler: "parentbased_traceidratio", EnvSamplerArg: "half"},
			[]string{`OTEL_TRACES_SAMPLER_ARG="half": want a ratio between 0 and 1`}},
		{"http/json", map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"},
			[]string{`OTEL_EXPORTER_OTLP_PROTOCOL="http/json": http/json is not supported (use http/protobuf or grpc)`}},
		{"unknown protocol", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "udp"},
			[]string{`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="udp": unknown protocol`}},
		{"endpoint without scheme", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"},
			[]string{`OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": want an http:// or https:// URL`}},
		{"signal endpoint without host", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http:///v1/traces"},
			[]string{`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http:///v1/traces": URL has no host`}},
		{"bad headers", map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "token"},
			[]string{`OTEL_EXPORTER_OTLP_HEADERS="token": entry "token" is not key=value`}},
		{"bad compression", map[string]string{"OTEL_EXPORTER_OTLP_COMPRESSION": "zstd"},
			[]string{`OTEL_EXPORTER_OTLP_COMPRESSION="zstd": want gzip or none`}},
		{"bad timeout", map[string]string{"OTEL_EXPORTER_OTLP_TIMEOUT": "10s"},
			[]string{`OTEL_EXPORTER_OTLP_TIMEOUT="10s": want a positive number of milliseconds`}},
		{"bad zipkin endpoint", map[string]string{EnvZipkinEndpoint: "zipkin:9411"},
			[]string{`OTEL_EXPORTER_ZIPKIN_ENDPOINT="zipkin:9411": want an http:// or https:// URL`}},
		{"bad disabled", map[string]string{EnvSDKDisabled: "yes"},
			[]string{`OTEL_SDK_DISABLED="yes": want true or false`}},
		{"bad queue size", map[string]string{"OTEL_BSP_MAX_QUEUE_SIZE": "-1"},
			[]string{`OTEL_BSP_MAX_QUEUE_SIZE="-1": want a positive integer`}},
		{"bad schedule delay", map[string]string{"OTEL_BSP_SCHEDULE_DELAY": "5s"},
			[]string{`OTEL_BSP_SCHEDULE_DELAY="5s": want a positive integer`}},
		{"batch larger than queue", map[string]string{"OTEL_BSP_MAX_QUEUE_SIZE": "100", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "200"},
			[]string{`OTEL_BSP_MAX_EXPORT_BATCH_SIZE="200": larger than OTEL_BSP_MAX_QUEUE_SIZE=100`}},
		{"all errors at once", map[string]string{EnvSampler: "x", EnvTracesExporter: "y"},
			[]string{`OTEL_TRACES_EXPORTER="y"`, `OTEL_TRACES_SAMPLER="x"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env)
			_, err := ConfigFromEnv(nil)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain:\n%s", err, w)
				}
			}
		})
	}
}
