package org.dllab.data;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The datasets the course uses, with their official sources. Each one has a page in {@code
 * datasets/} of the repo.
 *
 * <p>Folder names: the first is where downloads go; the others accept the course's offline subsets
 * laid out the same way (e.g. {@code cifar10-subset/cifar-10-batches-bin/}), so one loader reads
 * both.
 */
public final class DatasetCatalog {

    /** MNIST, official IDX files (sha256 of the official gzip files). */
    public static final DatasetSpec MNIST =
            new DatasetSpec(
                    "mnist",
                    "MNIST handwritten digits: 60,000 train + 10,000 test, 28x28 grey (IDX)",
                    List.of("mnist", "MNIST"),
                    List.of(
                            List.of("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"),
                            List.of("train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte"),
                            List.of("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"),
                            List.of("t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte")),
                    List.of(
                            mnistFile(
                                    "train-images-idx3-ubyte.gz",
                                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
                            mnistFile(
                                    "train-labels-idx1-ubyte.gz",
                                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
                            mnistFile(
                                    "t10k-images-idx3-ubyte.gz",
                                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
                            mnistFile(
                                    "t10k-labels-idx1-ubyte.gz",
                                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
                    Map.of(
                            "train-images-idx3-ubyte.gz",
                                    Checksum.sha256(
                                            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
                            "train-labels-idx1-ubyte.gz",
                                    Checksum.sha256(
                                            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
                            "t10k-images-idx3-ubyte.gz",
                                    Checksum.sha256(
                                            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
                            "t10k-labels-idx1-ubyte.gz",
                                    Checksum.sha256(
                                            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
                    "Y. LeCun, C. Cortes, C.J.C. Burges, The MNIST database of handwritten digits; CC BY-SA 3.0");

    /** CIFAR-10 in the official binary layout ({@code cifar-10-batches-bin/}). */
    public static final DatasetSpec CIFAR10 =
            new DatasetSpec(
                    "cifar10",
                    "CIFAR-10: 32x32 colour images, 10 classes, official binary batches (full set or a subset)",
                    List.of("cifar10", "cifar10-subset", "cifar-10"),
                    List.of(
                            List.of("cifar-10-batches-bin/data_batch_1.bin"),
                            List.of("cifar-10-batches-bin/test_batch.bin")),
                    List.of(
                            // The CIFAR page publishes an md5 only.
                            RemoteFile.archive(
                                    "cifar-10-binary.tar.gz",
                                    "md5:c32a1d4ab5d03f1284b67883e8d87530",
                                    "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")),
                    Map.of(),
                    "A. Krizhevsky, Learning Multiple Layers of Features from Tiny Images, 2009; no formal license");

    /** IMDb Large Movie Review dataset v1.0 ({@code aclImdb/}). */
    public static final DatasetSpec IMDB =
            new DatasetSpec(
                    "imdb",
                    "IMDb movie reviews (aclImdb v1.0): positive/negative sentiment, 25k+25k (or a subset)",
                    List.of("imdb", "imdb-subset"),
                    List.of(
                            List.of("aclImdb/train/pos"),
                            List.of("aclImdb/train/neg"),
                            List.of("aclImdb/test/pos"),
                            List.of("aclImdb/test/neg")),
                    List.of(
                            RemoteFile.archive(
                                    "aclImdb_v1.tar.gz",
                                    "md5:7c2ac02c03563afcf9b574c7e56c153a",
                                    "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz")),
                    Map.of(),
                    "A. Maas et al., Learning Word Vectors for Sentiment Analysis, ACL 2011; no formal license");

    /** Tiny Shakespeare (char-rnn). */
    public static final DatasetSpec TINY_SHAKESPEARE =
            new DatasetSpec(
                    "tinyshakespeare",
                    "Tiny Shakespeare: 1.1 MB of plain text for language models (char-rnn)",
                    List.of("tinyshakespeare", "tiny-shakespeare"),
                    List.of(List.of("input.txt")),
                    List.of(
                            RemoteFile.of(
                                    "input.txt",
                                    "sha256:86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
                                    "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt")),
                    Map.of(
                            "input.txt",
                            Checksum.sha256(
                                    "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed")),
                    "Shakespeare (public domain), from karpathy/char-rnn (MIT)");

    /** GPT-2's byte-level BPE: vocabulary and merges. */
    public static final DatasetSpec GPT2_BPE =
            new DatasetSpec(
                    "gpt2-bpe",
                    "GPT-2 byte-level BPE tokenizer files: encoder.json (50,257 tokens) + vocab.bpe (50,000 merges)",
                    List.of("gpt2-bpe", "gpt2"),
                    List.of(List.of("encoder.json"), List.of("vocab.bpe")),
                    List.of(
                            RemoteFile.of(
                                    "encoder.json",
                                    "sha256:196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
                                    "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/encoder.json"),
                            RemoteFile.of(
                                    "vocab.bpe",
                                    "sha256:1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
                                    "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/vocab.bpe")),
                    Map.of(
                            "encoder.json",
                                    Checksum.sha256(
                                            "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"),
                            "vocab.bpe",
                                    Checksum.sha256(
                                            "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5")),
                    "OpenAI GPT-2 encoder files (Modified MIT)");

    /**
     * Self-Instruct's human-written tasks: 175 seed tasks (fine-tuning) and 252 user-oriented tasks
     * (evaluation only).
     */
    public static final DatasetSpec SELF_INSTRUCT =
            new DatasetSpec(
                    "self-instruct",
                    "Self-Instruct human-written instructions: 175 seed tasks + 252 user-oriented tasks (JSON Lines)",
                    List.of("self-instruct", "self_instruct"),
                    List.of(List.of("seed_tasks.jsonl")),
                    List.of(
                            RemoteFile.of(
                                    "seed_tasks.jsonl",
                                    "sha256:7779004fa198fdf27cf70a159363879d8a26c53329e11b436af17b3941875f48",
                                    "https://raw.githubusercontent.com/yizhongw/self-instruct/0b26ccaa415992100fa32df62d41b994cf928e23/data/seed_tasks.jsonl"),
                            RemoteFile.of(
                                    "user_oriented_instructions.jsonl",
                                    "sha256:81d60a117db495cecedecd9193504fd07c5b5a42f6699ef6b0f9da10fc22f42e",
                                    "https://raw.githubusercontent.com/yizhongw/self-instruct/0b26ccaa415992100fa32df62d41b994cf928e23/human_eval/user_oriented_instructions.jsonl")),
                    Map.of(
                            "seed_tasks.jsonl",
                                    Checksum.sha256(
                                            "7779004fa198fdf27cf70a159363879d8a26c53329e11b436af17b3941875f48"),
                            "user_oriented_instructions.jsonl",
                                    Checksum.sha256(
                                            "81d60a117db495cecedecd9193504fd07c5b5a42f6699ef6b0f9da10fc22f42e")),
                    "Wang et al., Self-Instruct, ACL 2023 (Apache-2.0); the user-oriented set is for evaluation only");

    /**
     * emotion (dair-ai, CARER): 16,000 / 2,000 / 2,000 English tweets, six emotions; homework 3 and
     * w11-finetuning.
     */
    public static final DatasetSpec EMOTION =
            new DatasetSpec(
                    "emotion",
                    "emotion (CARER) English tweets, 6 emotions: 16,000 train, 2,000 validation, 2,000 test (text;label)",
                    List.of("emotion"),
                    List.of(List.of("train.txt", "val.txt", "test.txt")),
                    List.of( // the files the Hugging Face loader (huggingface/datasets
                            // datasets/emotion/emotion.py, _URLS) fetched
                            RemoteFile.of(
                                    "train.txt",
                                    "sha256:3ab03d945a6cb783d818ccd06dafd52d2ed8b4f62f0f85a09d7d11870865b190",
                                    "https://www.dropbox.com/s/1pzkadrvffbqw6o/train.txt?dl=1"),
                            RemoteFile.of(
                                    "val.txt",
                                    "sha256:34faaa31962fe63cdf5dbf6c132ef8ab166c640254ab991af78f3aea375e79ef",
                                    "https://www.dropbox.com/s/2mzialpsgf9k5l3/val.txt?dl=1"),
                            RemoteFile.of(
                                    "test.txt",
                                    "sha256:60f531690d20127339e7f054edc299a82c627b5ec0dd5d552d53d544e0cfcc17",
                                    "https://www.dropbox.com/s/ikkqxfdbdec3fuj/test.txt?dl=1")),
                    Map.of(
                            "train.txt",
                                    Checksum.sha256(
                                            "3ab03d945a6cb783d818ccd06dafd52d2ed8b4f62f0f85a09d7d11870865b190"),
                            "val.txt",
                                    Checksum.sha256(
                                            "34faaa31962fe63cdf5dbf6c132ef8ab166c640254ab991af78f3aea375e79ef"),
                            "test.txt",
                                    Checksum.sha256(
                                            "60f531690d20127339e7f054edc299a82c627b5ec0dd5d552d53d544e0cfcc17")),
                    "Saravia et al., CARER, EMNLP 2018 (educational and research use; cite the paper)");

    /**
     * tinyllamas stories260K: a real pretrained Llama-2-architecture model (llama2.c format) and
     * its 512-token tokenizer.
     */
    public static final DatasetSpec TINYLLAMAS =
            new DatasetSpec(
                    "tinyllamas",
                    "tinyllamas stories260K: a pretrained Llama-2-architecture model on TinyStories (llama2.c format) + tok512",
                    List.of("tinyllamas"),
                    List.of(List.of("stories260K.bin", "tok512.bin")),
                    List.of(
                            RemoteFile.of(
                                    "stories260K.bin",
                                    "sha256:b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696",
                                    "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin"),
                            RemoteFile.of(
                                    "tok512.bin",
                                    "sha256:037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312",
                                    "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin")),
                    Map.of(
                            "stories260K.bin",
                                    Checksum.sha256(
                                            "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696"),
                            "tok512.bin",
                                    Checksum.sha256(
                                            "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312")),
                    "Karpathy, llama2.c tinyllamas (MIT); trained on TinyStories (CDLA-Sharing-1.0)");

    /**
     * The Hugging Face revision of bert-base-uncased whose files {@link #BERT_BASE_UNCASED} pins.
     */
    static final String BERT_REVISION = "86b5e0934494bd15c9632b12f734a8a67f723594";

    /**
     * bert-base-uncased (Google, Apache-2.0): the original BERT encoder (12 layers, hidden 768, 110
     * M parameters) as Hugging Face publishes it, pinned to one revision, for users with a network:
     * {@code BertEncoder.fromHuggingFace} loads the folder and DJL's {@code HuggingFaceTokenizer}
     * its {@code tokenizer.json}. The checksums are the files' published LFS/Git hashes at that
     * revision.
     */
    public static final DatasetSpec BERT_BASE_UNCASED =
            new DatasetSpec(
                    "bert-base-uncased",
                    "bert-base-uncased: the original BERT encoder (110 M parameters), Hugging Face config.json + model.safetensors + tokenizer.json",
                    List.of("bert-base-uncased"),
                    List.of(List.of("config.json", "model.safetensors", "tokenizer.json")),
                    List.of(
                            bertFile(
                                    "config.json",
                                    "7160e1553ad2ca51d8c1cb066be533db31826e12d173824c1bb0cb1a4f187d20"),
                            bertFile(
                                    "model.safetensors",
                                    "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"),
                            bertFile(
                                    "tokenizer.json",
                                    "ce64fce797c24f68df90b40a3f74f579b336a493db14bd583fd520ea0d8c9a98")),
                    Map.of(
                            "config.json",
                            Checksum.sha256(
                                    "7160e1553ad2ca51d8c1cb066be533db31826e12d173824c1bb0cb1a4f187d20"),
                            "model.safetensors",
                            Checksum.sha256(
                                    "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"),
                            "tokenizer.json",
                            Checksum.sha256(
                                    "ce64fce797c24f68df90b40a3f74f579b336a493db14bd583fd520ea0d8c9a98")),
                    "Google, BERT (Apache-2.0), from huggingface.co/google-bert/bert-base-uncased at revision "
                            + BERT_REVISION);

    private static RemoteFile bertFile(String name, String sha256) {
        return RemoteFile.of(
                name,
                "sha256:" + sha256,
                "https://huggingface.co/google-bert/bert-base-uncased/resolve/"
                        + BERT_REVISION
                        + "/"
                        + name);
    }

    /**
     * Cora (LINQS): 2,708 papers, 5,429 citations, 1,433 word features, 7 classes; the week-14
     * graph lab.
     */
    public static final DatasetSpec CORA =
            new DatasetSpec(
                    "cora",
                    "Cora citation graph: 2,708 papers, 5,429 citations, 1,433 binary word features, 7 classes",
                    List.of("cora"),
                    List.of(List.of("cora.content", "cora.cites")),
                    List.of(
                            RemoteFile.of(
                                    "cora.content",
                                    "sha256:b8ebed0fd45e53995abafd1b70cf6a9fcc8f86abc5826d69b97fe6ca46e9c8ee",
                                    "https://raw.githubusercontent.com/tkipf/pygcn/master/data/cora/cora.content"),
                            RemoteFile.of(
                                    "cora.cites",
                                    "sha256:ec1a372391b7f0f60a6aff0084e8abd8f19f0faa7e1f2441a41c492042d5945e",
                                    "https://raw.githubusercontent.com/tkipf/pygcn/master/data/cora/cora.cites")),
                    Map.of(
                            "cora.content",
                                    Checksum.sha256(
                                            "b8ebed0fd45e53995abafd1b70cf6a9fcc8f86abc5826d69b97fe6ca46e9c8ee"),
                            "cora.cites",
                                    Checksum.sha256(
                                            "ec1a372391b7f0f60a6aff0084e8abd8f19f0faa7e1f2441a41c492042d5945e")),
                    "Sen et al., Collective Classification in Network Data, AI Magazine 2008 (LINQS; no license stated for the data)");

    /**
     * waimai_10k: 11,987 Chinese food-delivery reviews, 4,000 positive and 7,987 negative; weeks 8
     * and 10 in Chinese.
     */
    public static final DatasetSpec WAIMAI =
            new DatasetSpec(
                    "waimai",
                    "waimai_10k Chinese food-delivery reviews: 11,987 (4,000 positive, 7,987 negative), CSV label,review",
                    List.of("waimai_10k", "waimai"),
                    List.of(List.of("waimai_10k.csv")),
                    List.of(
                            RemoteFile.of(
                                    "waimai_10k.csv",
                                    "sha256:b8b5c11c00b51578d35937fca56e03a126b45381f1ea4b22893237cb377a26fe",
                                    "https://raw.githubusercontent.com/SophonPlus/ChineseNlpCorpus/a0b781d72158bde242c0626c9e354d2b328865ff/datasets/waimai_10k/waimai_10k.csv")),
                    Map.of(
                            "waimai_10k.csv",
                            Checksum.sha256(
                                    "b8b5c11c00b51578d35937fca56e03a126b45381f1ea4b22893237cb377a26fe")),
                    "SophonPlus/ChineseNlpCorpus, datasets/waimai_10k (no license stated; reviews from a food-delivery platform)");

    /** Every dataset, in the order of the course. */
    public static final List<DatasetSpec> ALL =
            List.of(
                    MNIST,
                    CIFAR10,
                    IMDB,
                    TINY_SHAKESPEARE,
                    GPT2_BPE,
                    SELF_INSTRUCT,
                    WAIMAI,
                    EMOTION,
                    TINYLLAMAS,
                    BERT_BASE_UNCASED,
                    CORA);

    private DatasetCatalog() {}

    /**
     * Finds a dataset by name.
     *
     * @param name e.g. {@code mnist}
     * @return the spec
     * @throws IllegalArgumentException naming the known datasets when none matches
     */
    public static DatasetSpec find(String name) {
        return ALL.stream()
                .filter(d -> d.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown dataset '"
                                                + name
                                                + "'; known: "
                                                + ALL.stream()
                                                        .map(DatasetSpec::name)
                                                        .collect(Collectors.joining(", "))));
    }

    private static RemoteFile mnistFile(String name, String sha256) {
        // LeCun's page is the official source; it often refuses downloads, so torchvision's mirror
        // follows.
        return RemoteFile.of(
                name,
                "sha256:" + sha256,
                "https://yann.lecun.com/exdb/mnist/" + name,
                "https://ossci-datasets.s3.amazonaws.com/mnist/" + name);
    }
}
