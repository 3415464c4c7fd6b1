// Command validate checks Kubernetes manifests against the API's own types, strictly: an
// unknown field, a misspelt key, a wrong type or an unknown kind fails. No cluster is needed.
//
// Usage: validate FILE... (multi-document YAML; prints one line per object, exits 1 on any error)
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: validate FILE...")
		os.Exit(2)
	}
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	failed := false
	for _, path := range os.Args[1:] {
		file, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			failed = true
			continue
		}
		reader := utilyaml.NewYAMLReader(bufio.NewReader(file))
		for index := 0; ; index++ {
			doc, err := reader.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s[%d]: %v\n", path, index, err)
				failed = true
				break
			}
			if len(bytes.TrimSpace(doc)) == 0 || isComment(doc) {
				continue
			}
			object, kind, err := decoder.Decode(doc, nil, nil)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s[%d]: %v\n", path, index, err)
				failed = true
				continue
			}
			_ = object
			fmt.Printf("%s[%d]: %s/%s ok\n", path, index, kind.GroupVersion().String(), kind.Kind)
		}
		file.Close()
	}
	if failed {
		os.Exit(1)
	}
}

// isComment is true for a document of comments only (a file's header).
func isComment(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' && !bytes.Equal(line, []byte("---")) {
			return false
		}
	}
	return true
}
