# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第三课 开发得好不好：转化率、保留率与流失率
#
# 两个团队这个月都新接触了 100 位客户。甲队最后成交 4 位，乙队成交 15 位；甲队成交的客户半年后走了一半，
# 乙队的几乎都还在下单。只看开发量，两队一样；加上**转化**和**保留**，高下立判。
#
# 这一课给开发量配上三把尺子：
#
# | 指标 | 回答的问题 | 怎么算 |
# |---|---|---|
# | 转化率 | 接触过的客户，有多少走到了下一步？ | 一批客户中后来达到目标阶段的人数 ÷ 这批客户人数 |
# | 赢单率 | 有结果的客户里，赢下来的占多少？ | 成交客户 ÷ (成交客户 + 流失客户) |
# | 保留率 / 流失率 | 开发来的客户，留得住吗？ | (期末客户 − 本期新客户) ÷ 期初客户；流失率 = 1 − 保留率 |
#
# **学完这一课，你能够：**
#
# 1. 读懂开发漏斗，指出团队卡在哪一步；
# 2. 区分**队列口径**和**期间口径**的转化率，知道为什么默认用队列口径；
# 3. 把几个人、几个团队的比率合并成一个比率（合并计数，而不是把比率平均）；
# 4. 用留存热力图和经典公式判断新客户留不留得住。

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = ""  # 只看某个团队，空字符串表示全公司
period: str = "Q"  # 统计周期：W 周、M 月、Q 季、Y 年
within_days: int = 90  # 转化要在多少天内完成才算（用于公平比较新老批次）

# %%
from IPython.display import display as show

import devvolume as dv

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
log = data.worklog  # 全公司的日志；选了团队时，团队的数字从全公司的结果里挑出来
scope = data.scope
reached = dv.reached_levels(log)  # 每位客户第一次到达每一级的日期和功劳，全公司只算这一次
orders = data.orders  # 成交客户以后的订单：案例数据里有，你自己的工作日志表里没有（None）
if team and orders is not None:  # 选了团队：看记在这个团队名下成交的那些客户的订单
    won_here = reached[(reached["level"] == "won") & (reached["team"] == team)]
    orders = orders[orders["customer"].isin(won_here["customer"])]
period_name = dv.teach.PERIOD_LABELS[period]
print(f"{data.label}，范围：{scope}，统计周期：{period_name}，转化时限：{within_days} 天")
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 开发漏斗：团队卡在哪一步
#
# 把所有接触过的客户排成一列，看有多少走到意向、签约、成交。每一步的比例叫**步转化率**：
# 哪一步掉得最多，哪一步就是团队最该下功夫的地方。
#
# 一个团队的漏斗从**记在这个团队名下的新接触客户**出发（第一次接触是这个团队做的），再看这批客户后来有多少走到了下一步，
# 不管是谁把他们推过去的。这样各团队漏斗的第一层加起来正好是全公司，团队的比例也能和全公司直接比。

# %%
funnel = dv.teach.funnel_view(log, team=team, reached=reached)
show(dv.viz.funnel(funnel, title=f"{scope}：客户开发漏斗"))
dv.teach.chinese(funnel).round(3)

# %% [markdown]
# 用下拉框换团队，比一比各团队的漏斗形状（每次切换都调用函数 `dv.teach.funnel_view`）：

# %%
dv.teach.funnel_explorer(log, team=team)

# %% [markdown]
# ## 2. 转化率：跟踪同一批客户
#
# “这个季度的转化率是多少？”有两种算法：
#
# - **队列口径（本课程默认）**：先圈定“本季度**第一次接触**的客户”这一批人，再看这批人里**后来**有多少成交，
#   哪怕成交发生在下个季度。分子分母是同一群人，比率一定在 0 到 100% 之间。
# - **期间口径**：本季度成交的客户数 ÷ 本季度新接触的客户数。分子里有上季度接触、本季度才成交的人，
#   分母里有本季度接触、下季度才成交的人。它衡量的是“吞吐量”，不是比例，甚至可能超过 100%。
#
# 两种算法并排放在一起：

# %%
cohort = dv.teach.conversion_view(log, period=period, team=team, reached=reached)
through = dv.teach.conversion_view(log, period=period, team=team, form="period", reached=reached)
side = cohort.merge(through, on="period")
side = side[["period", "cohort", "converted", "conversion", "finished", "throughput"]]
dv.teach.chinese(side).round(3)

# %% [markdown]
# 注意最后几个批次：接触得晚的客户**还没来得及成交**，它们的队列转化率往往偏低，这并不说明团队变差了。
# 这份数据里是不是这样？

# %%
rates = cohort.loc[cohort["cohort"] > 0, "conversion"].tolist()
if len(rates) >= 4:
    latest, earlier = rates[-1], sorted(rates[:-2])[(len(rates) - 2) // 2]
    print(f"最后一批的队列转化率 {latest:.1%}，更早各批居中的一批 {earlier:.1%}："
          + ("最后一批明显偏低，它还没来得及成交。" if latest < 0.8 * earlier else "这份数据里最后一批并不低。"))
else:
    print("批次太少，看不出新老批次的差别。")

# %% [markdown]
# 比较新老批次时，要给每一批同样的时间，例如“接触后 90 天内成交”：

# %%
fair = dv.teach.conversion_view(log, period=period, team=team, within_days=within_days,
                                reached=reached)
dv.viz.conversion_by_cohort(fair, period=period,
                            title=f"{scope}：首次接触后 {within_days} 天内成交的比例（按批次）")

# %% [markdown]
# ## 3. 赢单率，以及“把比率平均”的陷阱
#
# **赢单率** = 成交客户 ÷ (成交客户 + 流失客户)。它只看已经有结果的客户，还在跟进的不算。
# 它和转化率回答不同的问题：转化率问“接触的人里成了多少”，赢单率问“见了分晓的人里赢了多少”。
#
# 把几个人合成一个团队的比率时，要**先把分子、分母分别加总，再相除**。
# 直接把每个人的比率取平均，会让只接触了几个客户的人和接触了几百个客户的人分量一样。

# %%
by_rep = dv.win_rate(reached, by=["team", "rep"])
if team:
    by_rep = by_rep[by_rep["team"] == team]
pooled = by_rep["won"].sum() / (by_rep["won"].sum() + by_rep["lost"].sum())
print(f"{scope}的赢单率（合并计数，正确）：{pooled:.1%}")
print(f"把每位销售员的赢单率取平均（错误）：{by_rep['win_rate'].mean():.1%}")
top = by_rep.sort_values(["win_rate", "rep"], ascending=[False, True])
dv.teach.chinese(top).head(8).round(3)

# %% [markdown]
# 转化率也一样。案例数据里差距最明显的是华东二组：张伟接触的客户最多、成交率最低，他一个人就把团队的
# 真实转化率拉了下来，而“平均每人的转化率”却看不出这一点。（参数里选了团队时，这里看的是你选的团队。）
# 案例是模拟数据，张伟“忙而不成”是模拟器里给他设定的特点：这里用它演示怎么算，不是一个发现（见第四课开头）。

# %%
teams = sorted(log["team"].unique())
demo_team = team or ("华东二组" if "华东二组" in teams else teams[0])
by_team_rep = dv.conversion_rate(reached, start="contacted", end="won", period="Y",
                                 by=["team", "rep"])
demo = (by_team_rep[by_team_rep["team"] == demo_team]
        .groupby("rep", as_index=False)[["cohort", "converted"]].sum())
demo["conversion"] = demo["converted"] / demo["cohort"]
print(f"{demo_team}：合并计算的转化率 {dv.teach.pooled_rate(demo):.1%}（正确），"
      f"{len(demo)} 人转化率的简单平均 {demo['conversion'].mean():.1%}（错误）")
dv.teach.chinese(demo).round(3)

# %%
if len(demo):
    busiest = demo.sort_values(["cohort", "rep"], ascending=[False, True]).iloc[0]
    busiest_text = (f"接触客户最多的是 {busiest['rep']}：{int(busiest['cohort'])} 位，转化率 "
                    f"{busiest['conversion']:.1%}，团队合并的转化率是 {dv.teach.pooled_rate(demo):.1%}。")
else:
    busiest_text = "这个团队名下没有新接触的客户。"
data.note(f"华东二组和张伟是案例公司的。你们的数据里，上面看的是{demo_team}：{busiest_text}"
          "一个人接触的客户越多，他的转化率在合并的数里分量就越重。")

# %% [markdown]
# ### 3.1 排在最后一名，就是明显弱吗？用漏斗图看
#
# 上面的表按赢单率排了队，总有人排在最后。但销售员之间本来就有差别，客户少的人，比率还会因为偶然大起大落：
# 只有 10 个有结果的客户，多赢一个就是十个百分点。所以“最后一名”不等于“明显比别人弱”。
#
# **漏斗图**把这两件事画在一起：每个点是一位销售员，横轴是他的客户数（分母），纵轴是他的比率；中间的线是典型水平，
# 两侧的虚线和实线是“正常波动”的范围（虚线 95%，实线 99.8%），它们已经算进了销售员之间本来就有的差别。
# 客户越多，范围越窄，所以线条像一个躺倒的漏斗。只有落在实线外面、而且差得够多的点，报告才会说“明显较弱”或“明显较强”；
# 在线内的，再低也只能说“差距在正常波动之内”。下面看的是赢单率最低的那位销售员（红色大点），
# 比较对象是全公司的销售员，用的是个性化报告里同一套判断。

# %%
company = dv.report.load_company(log)  # 和个性化报告读的是同一份全公司数据
ranked = by_rep.dropna(subset=["win_rate"]).sort_values(["win_rate", "rep"])
if len(ranked):
    lowest = ranked["rep"].iloc[0]  # 赢单率最低的销售员（选了团队时：团队里最低的）
    evidence = dv.report.gather(company, who="rep", name=lowest)
    test = evidence.tests["win_rate"]
    gap = f"；以这样的客户数，要比典型水平低约 {test.detectable:.0%} 才看得出来" if test.detectable < 1 else ""
    print(f"{lowest} 的赢单率 {test.value:.1%}，在全公司销售员中{test.rank_text(noun='人')}，"
          f"典型的销售员是 {test.spread.typical:.1%}。和同行比：{test.words()}{gap}。")
    show(dv.viz.funnel_plot_chart(dv.report.funnel_plot_data(evidence), title=f"{lowest} 和全公司销售员比"))
else:
    print(f"{scope}还没有成交或流失的客户，算不出赢单率，这一节跳过。")

# %% [markdown]
# 读漏斗图的三个要点：
#
# 1. **先看点在不在线内**，再看名次。名次总会有最后一名，线告诉你这个最后一名是不是超出了正常波动。
# 2. **客户少的人，线很宽**：他的数字再难看，也可能只是运气不好。先让他多积累几周数据，再下结论。
# 3. **落在线外，也只是说“值得去问”**，不是说“他不努力”：客户来源、负责的区域、接手的老客户都会造成差别，
#    要和他一起看他的客户名单，才知道原因。

# %% [markdown]
# ## 4. 保留率与流失率：开发来的客户留得住吗
#
# 客户成交后会继续下单（订单表 `orders`）。按**首单月份**把客户分成一批一批，看每一批在之后第 1、2、3……个月
# 还有多少比例在下单，就是留存热力图。颜色越深，留得越好。

# %%
if orders is not None:
    matrix = dv.retention_matrix(orders, period="M")
    show(dv.viz.retention_heatmap(matrix, period="M", title=f"{scope}：新客户的月度留存（按首单月份）"))
data.skip("这一节（留存热力图、保留率和流失率、新客户的长期价值）要用成交客户以后的订单表：每下一次单记一行。"
          "案例数据里有订单表，工作日志表里没有，所以跳过。想在自己的数据上算，把成交客户以后的订单整理成"
          "“客户、日期、金额”三列，用 dv.retention_matrix 和 dv.retention_rate 计算。")

# %% [markdown]
# 经典的**客户保留率**公式是 (E − N) ÷ S：
#
# - S：期初（上期末）的客户数；
# - E：期末的客户数；
# - N：本期新增的客户数。E 里包括了 N，他们不是“留下来”的，所以要先减掉。
#
# 什么叫“还是客户”？本课程约定：最近 3 个月内下过单就算，连续 3 个月没下单就算流失。**流失率 = 1 − 保留率。**

# %%
if orders is not None:
    rates = dv.retention_rate(orders, period="M", inactive_after=3)  # 连续 3 个月没下单算流失
    show(dv.teach.chinese(rates.rename(columns={"start": "期初客户 S", "new": "本期新客户 N",
                                               "end": "期末客户 E", "retention": "保留率",
                                               "churn": "流失率"})).round(3))

# %% [markdown]
# 头两个月的保留率是 100%，这是因为数据从 1 月才开始，还没有人满 3 个月不下单——又一个“数据起点”的假象。
# 从年中开始的数字才说明问题。

# %% [markdown]
# ### 新客户的长期价值
#
# 保留得住，新客户的价值就远不止第一单。用订单表算一笔账：数据开头 3 个月里第一次下单的客户，
# 从首单起的 9 个月里一共下了多少单、多少钱？

# %%
if orders is not None:
    value = dv.teach.customer_value(orders, cohort_months=3, window_months=9)
    row = value.iloc[0]
    print(f"{int(row['customers'])} 位新客户：首单平均 {row['first_order']:,.0f} 元；"
          f"9 个月内平均下单 {row['orders']:.1f} 次、共 {row['window_value']:,.0f} 元，"
          f"是首单的 {row['multiple']:.1f} 倍。")

# %% [markdown]
# 这就是“开发一个新客户值多少钱”的下限：9 个月以后还在下单的客户，价值还会继续累积。
# 所以评价开发工作时，把保留率和开发量放在一起看：同样开发 100 个客户，留得住的团队创造的价值可能是别人的两三倍。
# 第五课的模拟器会用“新增客户价值”（首单加上以后的复购带来的毛利）来衡量提升策略值不值得投入。

# %% [markdown]
# ## 5. 动手试一试：转化率小工具
#
# 选起点和终点阶段、周期、团队，拖动“天内”滑块（0 表示不限时间），再把口径换成“期间口径”对比一下。
# 每次改动都调用函数 `dv.teach.conversion_view`。

# %%
dv.teach.conversion_explorer(log, period=period, within_days=within_days, team=team)

# %% [markdown]
# ## 6. 用你自己的数据
#
# 载入你的工作日志表：填路径（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事）
# 或上传，再点“加载”。载入后出现两个小工具：你团队的漏斗，和队列转化率（起点、终点、周期、时限都能选）。
# 选了某个团队，漏斗和转化率都从**记在这个团队名下的新接触客户**出发，和整个文件的数字可以直接比。
# 文件有问题时，会按 Excel 行号列出每一处问题，例如：

# %%
dv.teach.own_worklog("funnel", "conversion", period=period, within_days=within_days)

# %%
name, content = dv.teach.example_problem_file()
dv.teach.problems_table(dv.teach.load_uploaded(name, content).problems)

# %% [markdown]
# ## 小结
#
# - 开发量说“多少”，转化率、赢单率、保留率说“多好”。管理者要把它们放在一起看。
# - 转化率默认用**队列口径**：跟踪同一批客户。期间口径是吞吐比，可能超过 100%，要标明。
# - 新批次还没来得及转化，比较时给每批同样的天数（如 90 天）。
# - 合并几个人、几个团队的比率：分子加总、分母加总，再相除；不要把比率平均。
# - 保留率 = (E − N) ÷ S，流失率 = 1 − 保留率；先说清楚“多久不下单算流失”。
# - 新客户的价值不止首单：保留得住，复购会让一个新客户的价值远超首单（第 4 节用订单表算过案例的账）。
# - 下一课：是什么在影响开发量——市场、团队能力、营销策略和客户关系管理。
