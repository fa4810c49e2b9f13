import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '#libs/database';
import { digestOf, generateKey } from './key-material.js';
import type { Scope } from './scopes.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** All SQL touching api_keys. Keys themselves never reach the database, only their digests. */
@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
  async create(name: string, scopes: Scope[]): Promise<ApiKeyInfo & { key: string }> {
    const { id, key } = generateKey();
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO api_keys (id, name, key_hash, scopes) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [id, name, digestOf(key), scopes],
    );
    return { ...toInfo(rows[0]!), key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toInfo);
  }

  /** Revokes a key (kept for the record); false when no such key exists. */
  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
    return rowCount === 1;
  }

  /** The key whose digest this is, with the stored digest for a constant-time re-check. */
  async findByDigest(digest: Buffer): Promise<(ApiKeyInfo & { digest: Buffer }) | undefined> {
    const { rows } = await this.pool.query<Row & { key_hash: Buffer }>(`SELECT ${COLUMNS}, key_hash FROM api_keys WHERE key_hash = $1`, [digest]);
    return rows[0] && { ...toInfo(rows[0]), digest: rows[0].key_hash };
  }
}

const COLUMNS = 'id, name, scopes, created_at, revoked_at';

interface Row {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

function toInfo(row: Row): ApiKeyInfo {
  return { id: row.id, name: row.name, scopes: row.scopes, createdAt: row.created_at, revokedAt: row.revoked_at };
}
