#!/usr/bin/env bash
# The final project's three example projects at full size, each scored in a mock competition on real hidden labels:
#   text:    emotion tweets (train.txt's first 1,500 as the group's data; test.txt's first 500 as the hidden test set)
#   image:   the CIFAR-10 subset as PNG class folders (4,000 train, 1,000 test)
#   tabular: scikit-learn's copy of the UCI breast cancer (Wisconsin diagnostic) table (569 rows, 30 numeric columns,
#            malignant/benign), 169 rows held out, scored by ROC-AUC; needs scikit-learn (Debian: python3-sklearn;
#            PYTHON=/usr/bin/python3), which also scores the submission on all 169 rows and a logistic-regression reference
# Usage: bench/final-project.sh [WORKDIR]   (needs DLLAB_DATA; builds nothing: run ./dllab once first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
data=${DLLAB_DATA:?set DLLAB_DATA to the datasets folder}
dllab="$root/dllab"
mkdir -p "$work"
cd "$work"

"${PYTHON:-python3}" - "$data" "$work" <<'PY'
import csv, os, struct, sys, zlib
data, work = sys.argv[1], sys.argv[2]
labels = ["sadness", "joy", "love", "anger", "fear", "surprise"]
def lines(name, n):
    with open(os.path.join(data, "emotion", name), encoding="utf-8") as f:
        return [l.rstrip("\n").rsplit(";", 1) for l in f][:n]
os.makedirs(f"{work}/text-data", exist_ok=True)
with open(f"{work}/text-data/train.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(["id", "text", "label"])
    for i, (t, l) in enumerate(lines("train.txt", 1500)): w.writerow([f"tr{i}", t, l])
with open(f"{work}/text-data/test.csv", "w", newline="", encoding="utf-8") as f, open(f"{work}/text-hidden.csv", "w", newline="") as h:
    w = csv.writer(f); w.writerow(["id", "text"]); hw = csv.writer(h); hw.writerow(["id", "label"])
    for i, (t, l) in enumerate(lines("test.txt", 500)): w.writerow([f"te{i}", t]); hw.writerow([f"te{i}", l])
def png(path, rgb):  # a 32x32 RGB PNG, written without PIL
    raw = b"".join(b"\x00" + bytes(v for x in range(32) for v in (rgb[y*32+x], rgb[1024+y*32+x], rgb[2048+y*32+x])) for y in range(32))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
cifar = os.path.join(data, "cifar10-subset", "cifar-10-batches-bin")
names = [l.strip() for l in open(os.path.join(cifar, "batches.meta.txt")) if l.strip()]
with open(f"{work}/image-hidden.csv", "w") as h:
    h.write("id,label\n")
    for batch, split in (("data_batch_1.bin", "train"), ("test_batch.bin", "test")):
        raw = open(os.path.join(cifar, batch), "rb").read()
        for i in range(len(raw) // 3073):
            rec = raw[i*3073:(i+1)*3073]
            if split == "train":
                d = f"{work}/image-data/train/{names[rec[0]]}"; os.makedirs(d, exist_ok=True); png(f"{d}/{i}.png", rec[1:])
            else:
                os.makedirs(f"{work}/image-data/test", exist_ok=True); png(f"{work}/image-data/test/img{i:04d}.png", rec[1:]); h.write(f"img{i:04d},{names[rec[0]]}\n")
try:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
except ImportError:
    print("python3-sklearn is absent: the tabular example is skipped"); sys.exit(0)
from sklearn.datasets import load_breast_cancer
table = load_breast_cancer()
idx = list(range(len(table.target)))
train, test = train_test_split(idx, test_size=169, stratify=table.target, random_state=0)
os.makedirs(f"{work}/tabular-data", exist_ok=True)
cols = [c.replace(" ", "_") for c in table.feature_names]
with open(f"{work}/tabular-data/train.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["id"] + cols + ["label"])
    for i in train: w.writerow([f"p{i}"] + list(table.data[i]) + [table.target_names[table.target[i]]])
with open(f"{work}/tabular-data/test.csv", "w", newline="") as f, open(f"{work}/tabular-hidden.csv", "w", newline="") as h:
    w = csv.writer(f); w.writerow(["id"] + cols); hw = csv.writer(h); hw.writerow(["id", "label"])
    for i in test: w.writerow([f"p{i}"] + list(table.data[i])); hw.writerow([f"p{i}", table.target_names[table.target[i]]])
ref = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(table.data[train], table.target[train])
from sklearn.metrics import roc_auc_score
malignant = [1 - t for t in table.target[test]]  # sklearn codes malignant as 0
print(f"scikit-learn reference (standardised logistic regression) on all 169 test rows: accuracy {ref.score(table.data[test], table.target[test]):.4f}, "
      f"ROC-AUC {roc_auc_score(malignant, ref.predict_proba(table.data[test])[:, 0]):.4f}")
PY

run() {  # task name data-folder hidden metric
    rm -rf "$work/$2"
    "$dllab" project new "$2" --task "$1" --dir "$work/$2" > /dev/null
    rm -rf "$work/$2/data" && cp -r "$work/$3" "$work/$2/data"
    local start=$SECONDS
    "$dllab" project run --dir "$work/$2"
    echo "$2: $((SECONDS - start)) s for 'project run'"
    rm -rf "$work/comp-$2"
    "$dllab" project competition create --labels "$work/$4" --metric "$5" --out "$work/comp-$2" > /dev/null
    "$dllab" project score --competition "$work/comp-$2" "$work/$2/runs/submission.csv"
}
run text-classification text text-data text-hidden.csv log-loss
run image-classification vision image-data image-hidden.csv log-loss
if [ -d "$work/tabular-data" ]; then
    run tabular table tabular-data tabular-hidden.csv roc-auc
    "${PYTHON:-python3}" - "$work" <<'PY'
import csv, sys
from sklearn.metrics import accuracy_score, roc_auc_score
work = sys.argv[1]
truth = {r["id"]: r["label"] for r in csv.DictReader(open(f"{work}/tabular-hidden.csv"))}
rows = list(csv.DictReader(open(f"{work}/table/runs/submission.csv")))
y = [truth[r["id"]] == "malignant" for r in rows]
p = [float(r["malignant"]) for r in rows]
print(f"the group's submission on all 169 test rows (scikit-learn's metrics): accuracy {accuracy_score(y, [v > 0.5 for v in p]):.4f}, ROC-AUC {roc_auc_score(y, p):.4f}")
PY
fi
echo "reports: $work/{text,vision,table}/runs/report.html"
