import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../platform/payload-codec';

const text = (value: string) => new TextEncoder().encode(value);
const plain = { metadata: { encoding: text('json/plain') }, data: text('{"email":"ada@example.org"}') };

describe('the payload encryption codec', () => {
  const spec = `${EncryptionCodec.newKeyEntry('k2')},${EncryptionCodec.newKeyEntry('k1')}`;
  const codec = EncryptionCodec.fromSpec(spec);

  it('seals with the first key, names it, and opens what it sealed', async () => {
    const [sealed] = await codec.encode([plain]);
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(new TextDecoder().decode(sealed!.metadata![KEY_ID_METADATA])).toBe('k2');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('ada@example.org');
    expect(await codec.decode([sealed!])).toEqual([plain]);
  });

  it('reads payloads stored before encryption as they are', async () => {
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses a payload sealed with a key it does not hold, or tampered with', async () => {
    const other = await EncryptionCodec.fromSpec(EncryptionCodec.newKeyEntry('other')).encode([plain]);
    await expect(codec.decode(other)).rejects.toThrow(/key "other"/);
    const rotatedOut = EncryptionCodec.fromSpec(spec.split(',')[1]!);
    await expect(rotatedOut.decode(await codec.encode([plain]))).rejects.toThrow(/key "k2"/);
    const [sealed] = await codec.encode([plain]);
    sealed!.data![20] = sealed!.data![20]! ^ 1;
    await expect(codec.decode([sealed!])).rejects.toThrow();
  });

  it('refuses a malformed key list, naming the entry', () => {
    expect(() => EncryptionCodec.fromSpec('k1:short')).toThrow(/entry 1/);
    expect(() =>
      EncryptionCodec.fromSpec(`${EncryptionCodec.newKeyEntry('a')},${EncryptionCodec.newKeyEntry('a')}`),
    ).toThrow(/twice/);
    expect(() => EncryptionCodec.fromSpec(' , ')).toThrow(/no key/);
  });
});
