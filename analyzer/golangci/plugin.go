// Package golangci registers tracegen's analyzer as a golangci-lint v2
// module plugin. golangci-lint builds it in with a .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/tracegen/tracegen/analyzer/golangci
//	    import: github.com/tracegen/tracegen/analyzer/golangci
//	    version: latest
//
// (golangci-lint custom then writes ./custom-gcl), and runs it with this in
// .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - tracegen
//	  settings:
//	    custom:
//	      tracegen:
//	        type: module
//	        description: tracing instrumentation is current, traces are not broken
//	        settings:
//	          config: tracegen.yaml   # the rule file; default: next to go.mod
//	          norules: false          # only //trace: directives select functions
//	          template: tracegen      # the template of the injected code
//
// golangci-lint run --fix applies the analyzer's fixes.
package golangci

import (
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tracegen/tracegen/analyzer"
)

func init() {
	register.Plugin("tracegen", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	Config   string `json:"config"`
	NoRules  bool   `json:"norules"`
	Template string `json:"template"`
}

// New makes the plugin from its settings; an unknown setting is an error.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, err
	}
	return &plugin{s}, nil
}

type plugin struct{ settings Settings }

var _ register.LinterPlugin = (*plugin)(nil)

// BuildAnalyzers returns tracegen's analyzer with the plugin's settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{analyzer.New(analyzer.Config{
		Rules:    p.settings.Config,
		NoRules:  p.settings.NoRules,
		Template: p.settings.Template,
	})}, nil
}

// GetLoadMode says the analyzer needs type information.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
