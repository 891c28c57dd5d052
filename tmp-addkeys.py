import json, sys
def add(path, dotted_parent, entries):
    s = open(path).read()
    data = json.loads(s)
    assert json.dumps(data, indent=2, ensure_ascii=False) + '\n' == s, path
    node = data
    if dotted_parent:
        for part in dotted_parent.split('.'):
            node = node.setdefault(part, {})
    for k, v in entries.items():
        assert k not in node, (path, k)
        node[k] = v
    open(path, 'w').write(json.dumps(data, indent=2, ensure_ascii=False) + '\n')
if __name__ == '__main__':
    spec = json.load(open(sys.argv[1]))
    for item in spec:
        add(item['file'], item.get('parent', ''), item['entries'])
