/*
 * GetProducts `PriceList` entries for us-east-1, in the shape the Price List Query API returns (each entry a JSON
 * string).
 *
 * Provenance, honestly stated:
 *  - RECORDED_AF_SOUTH_1_GP3 is a verbatim recorded entry (AFS1-EBS:VolumeUsage.gp3, publicationDate 2024-07-05),
 *    as kept in github.com/grafana/cloudcost-exporter's EC2 collector tests.
 *  - The us-east-1 entries repeat that exact shape (product.attributes, terms.OnDemand.<sku>.<term>.priceDimensions
 *    .<rateCode>) with us-east-1 values: SKUs and prices from the rateCodes in AWS's EBS pricing feed
 *    (meteredUnitMaps/ec2/USD/current/ebs.json, us-east-1 section), usage types and units as AWS bills them
 *    (EBS:VolumeUsage.*, EBS:VolumeP-IOPS.*, EBS:VolumeP-Throughput.gp3 in GiBps-mo, EBS:VolumeIOUsage in IOs,
 *    EBS:SnapshotUsage, EBS:SnapshotArchiveStorage). Attributes other than usagetype/regionCode/locationType/
 *    volumeApiName are abridged.
 *  - The AmazonVPC public IPv4 entries: price and usage types (PublicIPv4:InUseAddress / IdleAddress, $0.005 Hrs)
 *    are AWS's; their SKUs and productFamily were not found in any public record and are placeholders (the parser
 *    does not read either).
 */

interface Dim {
  unit: string;
  usd: string;
  description: string;
  beginRange?: string;
  endRange?: string;
}

function entry(
  serviceCode: 'AmazonEC2' | 'AmazonVPC',
  sku: string,
  productFamily: string,
  attributes: Record<string, string>,
  dims: Dim[],
): string {
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions = Object.fromEntries(
    dims.map((d, i) => {
      const rateCode = `${term}.${['6YS6EN2CT7', '2TG2D8R56U', 'RFXJ2X4CRE'][i] ?? '6YS6EN2CT7'}`;
      return [
        rateCode,
        {
          unit: d.unit,
          endRange: d.endRange ?? 'Inf',
          description: d.description,
          appliesTo: [],
          rateCode,
          beginRange: d.beginRange ?? '0',
          pricePerUnit: { USD: d.usd },
        },
      ];
    }),
  );
  return JSON.stringify({
    product: {
      productFamily,
      attributes: {
        locationType: 'AWS Region',
        regionCode: 'us-east-1',
        servicecode: serviceCode,
        location: 'US East (N. Virginia)',
        servicename: serviceCode === 'AmazonEC2' ? 'Amazon Elastic Compute Cloud' : 'Amazon Virtual Private Cloud',
        operation: '',
        ...attributes,
      },
      sku,
    },
    serviceCode,
    terms: {
      OnDemand: {
        [term]: { priceDimensions, sku, effectiveDate: '2025-10-01T00:00:00Z', offerTermCode: 'JRTCKXETXF', termAttributes: {} },
      },
    },
    version: '20251001000000',
    publicationDate: '2025-10-01T00:00:00Z',
  });
}

function storage(sku: string, api: string, usagetype: string, volumeType: string, unit: string, usd: string): string {
  return entry('AmazonEC2', sku, 'Storage', { usagetype, volumeApiName: api, volumeType }, [
    { unit, usd, description: `$${Number(usd)} per ${unit} of ${volumeType} (${api}) provisioned storage - US East (Northern Virginia)` },
  ]);
}

function sysop(sku: string, usagetype: string, api: string, unit: string, usd: string, group = 'EBS IOPS'): string {
  return entry('AmazonEC2', sku, 'System Operation', { usagetype, volumeApiName: api, group, provisioned: 'Yes' }, [
    { unit, usd, description: `$${Number(usd)} per ${unit} for ${api} - US East (Northern Virginia)` },
  ]);
}

/** productFamily "Storage": one entry per volume type. */
export const EC2_STORAGE: string[] = [
  storage('JG3KUJMBRGHV3N8G', 'gp3', 'EBS:VolumeUsage.gp3', 'General Purpose', 'GB-Mo', '0.0800000000'),
  storage('HY3BZPP2B6K8MSJF', 'gp2', 'EBS:VolumeUsage.gp2', 'General Purpose', 'GB-Mo', '0.1000000000'),
  storage('JR4AM7VS63CTEPMN', 'io1', 'EBS:VolumeUsage.piops', 'Provisioned IOPS', 'GB-Mo', '0.1250000000'),
  storage('6V576P37PS7K7KYU', 'io2', 'EBS:VolumeUsage.io2', 'Provisioned IOPS', 'GB-month', '0.1250000000'),
  storage('YQT3C842QHBG6XCU', 'st1', 'EBS:VolumeUsage.st1', 'Throughput Optimized HDD', 'GB-Mo', '0.0450000000'),
  storage('6U5VMCFHHMTH3QW6', 'sc1', 'EBS:VolumeUsage.sc1', 'Cold HDD', 'GB-Mo', '0.0150000000'),
  storage('269VXUCZZ7E6JNXT', 'standard', 'EBS:VolumeUsage', 'Magnetic', 'GB-Mo', '0.0500000000'),
];

/** productFamily "System Operation": provisioned IOPS (io2 one entry per tier) and Magnetic I/O requests. */
export const EC2_SYSTEM_OPERATION: string[] = [
  sysop('7Q58NR58VQEASA4W', 'EBS:VolumeP-IOPS.gp3', 'gp3', 'IOPS-Mo', '0.0050000000'),
  sysop('D8RDVC722HKNR55G', 'EBS:VolumeP-IOPS.piops', 'io1', 'IOPS-Mo', '0.0650000000'),
  sysop('X9AGQNCQXFA9Q8XZ', 'EBS:VolumeP-IOPS.io2', 'io2', 'IOPS-Mo', '0.0650000000'),
  sysop('KDKG2R3W4NMV7CHP', 'EBS:VolumeP-IOPS.io2.tier2', 'io2', 'IOPS-Mo', '0.0455000000'),
  sysop('AX8G343U7JZBRKJB', 'EBS:VolumeP-IOPS.io2.tier3', 'io2', 'IOPS-Mo', '0.0318500000'),
  entry('AmazonEC2', 'VV3ASRE8RPAY7C9U', 'System Operation', { usagetype: 'EBS:VolumeIOUsage', volumeApiName: 'standard', group: 'EBS I/O Requests', provisioned: 'No' }, [
    { unit: 'IOs', usd: '0.0000000500', description: '$0.05 per 1 million I/O requests - US East (Northern Virginia)' },
  ]),
];

/** productFamily "Provisioned Throughput": gp3, published per GiB/s-month ($40.96 = $0.04 per MiB/s-month). */
export const EC2_PROVISIONED_THROUGHPUT: string[] = [
  entry('AmazonEC2', 'SQUFRQX4K92S4SBB', 'Provisioned Throughput', { usagetype: 'EBS:VolumeP-Throughput.gp3', volumeApiName: 'gp3', group: 'EBS Throughput' }, [
    { unit: 'GiBps-mo', usd: '40.9600000000', description: '$40.96 per GiBps-mo of gp3 provisioned throughput - US East (Northern Virginia)' },
  ]),
];

/** productFamily "Storage Snapshot": standard and archive tiers, plus an Outposts entry that must be ignored. */
export const EC2_STORAGE_SNAPSHOT: string[] = [
  entry('AmazonEC2', '7U7TWP44UP36AT3R', 'Storage Snapshot', { usagetype: 'EBS:SnapshotUsage', storageMedia: 'Amazon S3' }, [
    { unit: 'GB-Mo', usd: '0.0500000000', description: '$0.05 per GB-Month of snapshot data stored - US East (Northern Virginia)' },
  ]),
  entry('AmazonEC2', 'TQQM6CHBJQ7MKT24', 'Storage Snapshot', { usagetype: 'EBS:SnapshotArchiveStorage', storageMedia: 'Amazon S3' }, [
    { unit: 'GB-Mo', usd: '0.0125000000', description: '$0.0125 per GB-month of snapshot archive storage - US East (Northern Virginia)' },
  ]),
  entry('AmazonEC2', 'PXAF4HC3TVCEH5XQ', 'Storage Snapshot', { usagetype: 'EBS:SnapshotUsage', storageMedia: 'Amazon S3', locationType: 'AWS Outposts' }, [
    { unit: 'GB-Mo', usd: '0.0270000000', description: '$0.027 per GB-Month of snapshot data stored on Outposts' },
  ]),
];

/** AmazonVPC, regionCode us-east-1: public IPv4 (placeholder SKUs, see the header). */
export const VPC_PUBLIC_IPV4: string[] = [
  entry('AmazonVPC', 'PLACEHOLDERINUSE', 'VPC Public IPv4 Address', { usagetype: 'PublicIPv4:InUseAddress', group: 'VPCPublicIPv4Address' }, [
    { unit: 'Hrs', usd: '0.0050000000', description: '$0.005 per In-use public IPv4 address per hour' },
  ]),
  entry('AmazonVPC', 'PLACEHOLDERIDLE0', 'VPC Public IPv4 Address', { usagetype: 'PublicIPv4:IdleAddress', group: 'VPCPublicIPv4Address' }, [
    { unit: 'Hrs', usd: '0.0050000000', description: '$0.005 per Idle public IPv4 address per hour' },
  ]),
];

/** Verbatim recorded entry (see the header). */
export const RECORDED_AF_SOUTH_1_GP3 =
  '{"product":{"productFamily":"Storage","attributes":{"maxThroughputvolume":"1000 MiB/s","volumeType":"General Purpose","maxIopsvolume":"16000","usagetype":"AFS1-EBS:VolumeUsage.gp3","locationType":"AWS Region","maxVolumeSize":"16 TiB","storageMedia":"SSD-backed","regionCode":"af-south-1","servicecode":"AmazonEC2","volumeApiName":"gp3","location":"Africa (Cape Town)","servicename":"Amazon Elastic Compute Cloud","operation":""},"sku":"XWCTMRRUJM7TGYST"},"serviceCode":"AmazonEC2","terms":{"OnDemand":{"XWCTMRRUJM7TGYST.JRTCKXETXF":{"priceDimensions":{"XWCTMRRUJM7TGYST.JRTCKXETXF.6YS6EN2CT7":{"unit":"GB-Mo","endRange":"Inf","description":"$0.1047 per GB-month of General Purpose (gp3) provisioned storage - Africa (Cape Town)","appliesTo":[],"rateCode":"XWCTMRRUJM7TGYST.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.1047000000"}}},"sku":"XWCTMRRUJM7TGYST","effectiveDate":"2024-07-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{}}}},"version":"20240705013454","publicationDate":"2024-07-05T01:34:54Z"}';

/** All us-east-1 EC2 entries, in the order the four product-family queries return them. */
export const EC2_ALL: string[] = [...EC2_STORAGE, ...EC2_SYSTEM_OPERATION, ...EC2_PROVISIONED_THROUGHPUT, ...EC2_STORAGE_SNAPSHOT];
