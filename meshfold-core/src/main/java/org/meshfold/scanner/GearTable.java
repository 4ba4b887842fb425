package org.meshfold.scanner;

/**
 * The 256 random 64-bit values of the gear hash used by {@link Chunker}.
 *
 * <p>They are fixed forever: changing one value moves every chunk boundary, so identical files
 * on two devices would no longer share blocks. The values are the first 256 outputs of
 * SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) seeded with {@link #SEED} (ASCII "meshfold");
 * {@code GearTableTest} regenerates them to prove the table was not edited by hand.
 */
final class GearTable {
    static final long SEED = 0x6d657368666f6c64L;

    static final long[] GEAR = {
            0x4c519bd04aba5a27L, 0xfac50028151b6b0bL, 0x8a5a1f4f2ed0b2c8L, 0x928e18fbd3f0f269L,
            0x62bc80187a646431L, 0x312c47dac40401ffL, 0x1f967f0971203df2L, 0x4de84a6afeafb80bL,
            0x686a330443c1109eL, 0xfdbe76159619a361L, 0x5cd3ff4d92c6cdaaL, 0xb2f134d0b0e72e35L,
            0x59031c1d53f3c1edL, 0x7b4359b45c639e0dL, 0xb72324e662bbb0f1L, 0x20ffc9ec1342ee64L,
            0xcd36ffaa8d58d2f6L, 0x5905365af962846dL, 0xab193c6867092e85L, 0xd75e38ea4e330282L,
            0x13272c79a4cca1a5L, 0xe2a9b75526b93410L, 0x3f72a0de8c116902L, 0x7f767ad99faa3201L,
            0x56ca86b89c08c7a4L, 0xc01ee5ce459e06b8L, 0x80516989d308af5cL, 0xadbe6cd5d3ab90b5L,
            0x74db854173840164L, 0x2f8bd3939084dd0fL, 0xe12e391d40bfe408L, 0x7746744ce8d9ab0cL,
            0x10f0e770e1d5b057L, 0xaa7606839003dfb5L, 0x7fc83f0930aa70beL, 0xd01eec2dbe3b76f6L,
            0x41464a39b601c79fL, 0xc4af4602c46cc8bbL, 0xfd6ee474985c3136L, 0x62c2b1707e73209eL,
            0xf1380815967aa55bL, 0x3e5debf7164e71d4L, 0x75017bdc9a1447a6L, 0xf5e2f06c00945e42L,
            0xe31cc70e457d6f3cL, 0x47f46a528a3032d8L, 0x8135d8064e3fb396L, 0x37c6362c4474a5b2L,
            0xdf04872baf3a6878L, 0x3e45e0ad82d2e690L, 0x12b4f7220e0a8486L, 0x7ebc514d347b1868L,
            0x53df9a491d135d84L, 0x964c5c391b2c6e62L, 0x6d642b58c1433373L, 0x40ce4c230f21d930L,
            0x39c3a24e386ebd23L, 0xa2194115a537ecceL, 0x88fe8b03290fcd68L, 0xca5d3ac3af4c0e99L,
            0x89a9a991dc588351L, 0x96a6cef7d6b4e887L, 0xd1d601a4a0951d14L, 0x6bdcc32c5977e187L,
            0x048a16cf2df4e221L, 0xf166d45a8400e8c6L, 0x1c12c58432c7c037L, 0xa7905ae184dc73fcL,
            0x96f45b79dc7e60e5L, 0xd48ed5254b6b344dL, 0xcd49a7dcff483a67L, 0x6f69a9b0cdb2a323L,
            0xe97c2c98751e0eadL, 0xf830b288070d4a9aL, 0x99fc32050137bdb2L, 0x1d66c18971a6bc19L,
            0x542faf31c29a6930L, 0x1262eb765bc55675L, 0x7fe5e7e49527ff1eL, 0x7c759f77e14c1bd9L,
            0x0d4d805cf82a002aL, 0x8e6118e8d52da614L, 0x91ec3d422a1ee39dL, 0x1fd3fc82d42d1b4cL,
            0xfe8c5d765e8e5e02L, 0xa6455619e844bd69L, 0x463e8cff5643bef0L, 0x0e6af32a3be15d11L,
            0x7dad139ed5592dfeL, 0x256e0e51cdc4fabeL, 0xe076b7589187cd41L, 0x21fc73e13849ce85L,
            0xbda80fe0a84513a7L, 0x403a88b208227de7L, 0x3428f2c009654e01L, 0xcf40c2f7f3132de5L,
            0x7070ceb815989681L, 0xf6d985d3832df6d2L, 0x41337a42b23d46c1L, 0x48da94342fe953b6L,
            0x68fde4bc6aed3223L, 0x1dbe1dc1860af7bbL, 0x043a7645c0806f1bL, 0x3da940bccef3ca36L,
            0xaf1929e71804d7acL, 0x96ebfe850ec42f88L, 0x9f750aa0a9d1314fL, 0xdd517ce06615964eL,
            0x8d203cf0e321ae2eL, 0x9a209311fa79d58dL, 0x4bc5b349aea6e823L, 0xa4c718b97c3901efL,
            0xeea41e988f33b743L, 0x12691df1df25b75aL, 0x43a1312b8a7a2290L, 0x9b4d883f544fcf88L,
            0x517e84275193f156L, 0x1d28f24be2176968L, 0x2c154370376a322eL, 0x0e262e005a8c9de8L,
            0x6ab121915fd3ea91L, 0x867ac66520cd6999L, 0x4c29aae2a6858b77L, 0x280994e929e59bb1L,
            0x75eab8145c737914L, 0x8c78f702a6feed0aL, 0xc6d6c176d0e3aff1L, 0x17746cade5668fdaL,
            0x25f233b2e4a11299L, 0x22bae87ddb4fc6b2L, 0x7de9c7fb871dffceL, 0x5dc8350b78518cfbL,
            0x90b065f5cb346c0aL, 0xdaa6930ee15f8244L, 0x66a429d495dab9e5L, 0xfbf5b77b8c9f50f9L,
            0xb610b862a059a8b5L, 0xa31f4d7036d19629L, 0x7f8d8f690227094dL, 0xde584b0f46eee424L,
            0xd87bc1d550c9c44fL, 0x795b6a336c02e9e7L, 0xab3ae04e6618ed32L, 0x330f6405b3d6cc63L,
            0x8918c58cc355f682L, 0x327872059668b8d3L, 0x7d583153177ca737L, 0xc859a1709f82da76L,
            0x9c6ab05324980a51L, 0x44a69b4a904c90d2L, 0xe03ba2a48fbd746fL, 0x690b44ad76310bd2L,
            0xc6ef6dc2350751fdL, 0xa36ba3a55789f65bL, 0x832400be9bae6768L, 0x988279f6b13ac170L,
            0x62275cf5237110f6L, 0x250052b5863e4366L, 0x7e3b88f73926a95aL, 0x62a1f7dcad0531a3L,
            0xf4d5d3cea8bc7933L, 0x1ca52e546c3ee969L, 0x5df0ed5a755f283bL, 0x41cded4dce86f95eL,
            0x43be90f4b09efd5aL, 0xaf119eb499391d60L, 0x09ed02cb2324cadbL, 0x453d5585d5f500bfL,
            0x70cc623689fba639L, 0x79c673024bf6e265L, 0xd30c7980ac8cced3L, 0xe0b07f7bde7e185bL,
            0x2da8da20c7b196fcL, 0xdf797a98fd90daf1L, 0xe9b1fe36b548aaa1L, 0x7d41fb85423df331L,
            0xf0889a82e55b6c42L, 0x841ba26fabb2220dL, 0x5239f4f098f7e7a6L, 0xf520e3c4e874cbb9L,
            0x535b94041efa6626L, 0x63f50ae26fad7ee2L, 0x9181ec76351fb38aL, 0xa63bd67bbab7140eL,
            0x2c558c9d289e672eL, 0xf7644062613853ceL, 0x8bb727e0f3f97701L, 0x6072560a3bd50445L,
            0xd6e4f242a82a4973L, 0x189ce04747f1e5b3L, 0x21652825a70ef683L, 0x645f625d7b5d2cc1L,
            0x3a35fbabeeb242e3L, 0x370625128d7a0b3cL, 0x03881537822860bdL, 0xfcf55c76c4d3694cL,
            0x6c29c221c23ecf1bL, 0x45be691ed591f5c4L, 0xfd7a2f65e7a2b6b3L, 0xd504a5687e54671fL,
            0x0b5f8230c580ca33L, 0xbbdced3052bb0c4bL, 0xcaa6025f56036753L, 0x8f639f0c47280130L,
            0xfb788f2b95b1e1e3L, 0x208deea22ee23f87L, 0xb5efdd8c15161abaL, 0x426e8849031d935fL,
            0xfe04bea18109502fL, 0x8427f4be6f5a97c5L, 0x07e494bb24c72eedL, 0x3a15e49d80b83543L,
            0x615d8474698188d0L, 0x9ae722ffa8f78ac3L, 0xb832472726f89d33L, 0x86c6d7acf1826daaL,
            0xd053cf927d52733fL, 0x53fab2f2a427df0cL, 0xee3197a16176a9d6L, 0xb93e207feb7e8972L,
            0x1cf8d03819f2b878L, 0xde2ebc0369592e99L, 0x62978e7c5756119eL, 0x7bec675450cad3a7L,
            0xbbaa31427482fea7L, 0x5a45a5296dea6111L, 0xf7ae0a7cc6e685bfL, 0x0d814e0728ee2976L,
            0xa5e08a83cfeffac1L, 0xebb74858562504cfL, 0xdd84a5e59813c9a1L, 0x886f7aeb86660d04L,
            0xd5a4d441a2906fabL, 0x7f9d0ef3e2a9c1beL, 0xb2430e37dcacafa4L, 0xe4f6b52e093fc81fL,
            0x8699e43303dc36b6L, 0xa085b4b1b4025d93L, 0xa7ca9a67eb8cd529L, 0x35cb7ed97561d077L,
            0xe6de6f0685189e5aL, 0xca03ed35c11619faL, 0x5eb8765f91128ba6L, 0x25609432a5bb28eeL,
            0x9e137ca9da12ec52L, 0xd2dbf97c87435920L, 0xa429c81af2a52676L, 0x445feec2a27e914eL,
            0xf63cb2fbca821b25L, 0xd76a855b993ebec7L, 0x129e18513d76d20bL, 0xd1f013f9e0fb1232L,
            0x524a3f7112fbc8c3L, 0xab436463adf111abL, 0xced3c97d84e8de8bL, 0xd77cd160c9034c36L
    };

    private GearTable() {
    }
}
