import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import { digestOf, generateKey } from './key-material.js';
import type { Scope } from './scopes.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** What a key's listing shows: never its digest. */
const INFO = { id: true, name: true, scopes: true, createdAt: true, revokedAt: true } as const;

/**
 * All queries on api_keys, through Prisma Client (a small admin table read by one unique index: the
 * natural tool). Keys themselves never reach the database, only their digests.
 */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
  async create(name: string, scopes: Scope[]): Promise<ApiKeyInfo & { key: string }> {
    const { id, key } = generateKey();
    const created = await this.prisma.apiKey.create({ data: { id, name, keyHash: digestOf(key), scopes }, select: INFO });
    return { ...created, key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return this.prisma.apiKey.findMany({ select: INFO, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Revokes a key (kept for the record, first revocation time kept); false when no such key exists. */
  async revoke(id: string): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1 || (await this.prisma.apiKey.count({ where: { id } })) === 1;
  }

  /** The key whose digest this is, with the stored digest for a constant-time re-check. */
  async findByDigest(digest: Uint8Array<ArrayBuffer>): Promise<(ApiKeyInfo & { digest: Uint8Array }) | undefined> {
    const found = await this.prisma.apiKey.findUnique({ where: { keyHash: digest }, select: { ...INFO, keyHash: true } });
    if (!found) return undefined;
    const { keyHash, ...info } = found;
    return { ...info, digest: keyHash };
  }
}
