# json dumps/loads (implemented in Python inside vigil).
import json
data = {"name": "vigil", "n": [1, 2.5, None, True, False], "nested": {"é": "ü\n\"q\"", "k": -3e-7}, "emoji": "🎉", 3: "int key"}
s = json.dumps(data)
print(s)
print(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False))
print(json.dumps([1, [2, {}], []], separators=(",", ":")), json.dumps("x"), json.dumps(1e100), json.dumps(float("nan")))
back = json.loads(s)
print(back, back["nested"]["k"], type(back["n"][1]).__name__)
print(json.loads('  {"a": [1, 2, {"b": null}], "c": "\\u00e9\\ud83c\\udf89", "d": 1.5e3} '))
for bad in ['{"a" 1}', '[1, 2', '', '{"a": 1} x']:
    try:
        json.loads(bad)
    except json.JSONDecodeError as e:
        print("JSONDecodeError:", e)
try:
    json.dumps({"s": {1, 2}})
except TypeError as e:
    print(e)
print(json.dumps({"b": 1, "a": 2}, sort_keys=True, indent=4))
